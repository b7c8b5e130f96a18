"""A report's section measures: shares of the coded sentences, intervals from its paragraphs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from msresearch.measure import panel
from msresearch.pipeline import schemas

DOMAINS = ["economy", "education", "health", "housing"]
CORE, BROAD = ("education", "health"), ("education", "health", "housing")


def _report(rows: list[tuple[str, int, str]]) -> dict[str, list]:
    """Sentences as (section, paragraph, domain)."""
    return {"section": [r[0] for r in rows], "paragraph": [r[1] for r in rows],
            "domain": [r[2] for r in rows]}


def _measure(rows, doc_id="r", n_boot=400):
    table, domains = panel.report_measures(doc_id, _report(rows), DOMAINS, CORE, BROAD,
                                           n_boot=n_boot, seed=7)
    return pd.DataFrame(table), pd.DataFrame(domains)


def test_shares_count_coded_sentences_and_leave_none_out():
    rows = [("plan", 1, "education"), ("plan", 1, "none"), ("plan", 2, "housing"),
            ("plan", 2, "economy"), ("plan", 3, "health"), ("review", 9, "economy"),
            ("front", 0, "health")]
    table, domains = _measure(rows)
    plan = table.set_index("section").loc["plan"]
    assert (plan["n_sentences"], plan["n_coded"], plan["n_core"], plan["n_broad"]) == (5, 4, 2, 3)
    assert plan["core_share"] == pytest.approx(2 / 4) and plan["broad_share"] == pytest.approx(3 / 4)
    assert plan["n_paragraphs"] == 3
    assert set(table["section"]) == {"plan", "review"}  # the front is no measured section
    schemas.PANEL.validate(table)
    schemas.PANEL_DOMAINS.validate(domains)
    by_domain = domains[domains["section"] == "plan"].set_index("domain")
    assert list(by_domain.index) == DOMAINS  # every domain, zeros included
    assert by_domain.loc["education", "livelihood_share"] == pytest.approx(1 / 2)
    assert np.isnan(by_domain.loc["housing", "livelihood_share"])  # not core
    assert by_domain["share"].sum() == pytest.approx(1)


def test_a_section_of_none_only_has_no_share():
    table, _ = _measure([("plan", 1, "none"), ("plan", 2, "none")])
    assert table.loc[0, "n_coded"] == 0 and np.isnan(table.loc[0, "core_share"])
    assert np.isnan(table.loc[0, "core_low"])


def test_the_interval_resamples_paragraphs_not_sentences():
    # the same 8 of 16 coded sentences in education, spread over 4 paragraphs or 2 paragraphs
    spread = [("plan", p, d) for p in range(4) for d in ("education", "education", "economy",
                                                            "economy")]
    clumped = [("plan", p, "education" if p < 2 else "economy") for p in range(4) for _ in range(4)]
    wide = _measure(clumped)[0].loc[0]
    narrow = _measure(spread)[0].loc[0]
    assert wide["core_share"] == narrow["core_share"] == 0.5
    # every paragraph of the spread report has the same share: resampling them changes nothing
    assert narrow["core_low"] == narrow["core_high"] == 0.5
    assert wide["core_high"] - wide["core_low"] > 0.4


def test_a_share_of_zero_or_one_is_its_own_limit_and_draws_are_the_reports_own():
    table, _ = _measure([("plan", 1, "economy"), ("plan", 2, "economy"), ("plan", 3, "education")])
    row = table.loc[0]
    assert row["core_low"] <= row["core_share"] <= row["core_high"]
    none, _ = _measure([("plan", 1, "economy"), ("plan", 2, "economy")])
    assert none.loc[0, "core_low"] == none.loc[0, "core_share"] == 0.0
    again, _ = _measure([("plan", 1, "economy"), ("plan", 2, "economy"), ("plan", 3, "education")])
    pd.testing.assert_frame_equal(table, again)
    # two reports with the same sentences draw their own resamples
    first = panel.report_measures("a", _report([("plan", p, "education" if p % 3 else "economy")
                                                for p in range(12)]), DOMAINS, CORE, BROAD,
                                  n_boot=50, seed=7)[0]
    second = panel.report_measures("b", _report([("plan", p, "education" if p % 3 else "economy")
                                                 for p in range(12)]), DOMAINS, CORE, BROAD,
                                   n_boot=50, seed=7)[0]
    assert first["core_share"] == second["core_share"]
    assert (first["core_low"], first["core_high"]) != (second["core_low"], second["core_high"])


def test_the_schema_refuses_a_share_outside_its_interval():
    table, _ = _measure([("plan", p, "education" if p % 2 else "economy") for p in range(10)])
    table.loc[0, "core_high"] = table.loc[0, "core_share"] - 0.1
    with pytest.raises(Exception, match="outside its interval"):
        schemas.PANEL.validate(table)
