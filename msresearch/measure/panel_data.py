"""The panel of work reports as the analysis reads it: each report's section measures beside its
government, level and year, the governments it is compared as, and the years it spans."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from msresearch import config
from msresearch.genres import REPORT_GENRES
from msresearch.io import inputs

REPORT_FIELDS = ["doc_id", "level", "unit_zh", "unit_en", "parent_unit_en", "year", "date"]
# the groups the study follows, in the order figures show them; "focus" is one province
GROUPS = ("centre", "provinces", "focus", "focus_cities")


@dataclass(frozen=True)
class Panel:
    """The work reports of one corpus within chosen levels and years: ``reports`` (one row
    each, with ``unit``, a government's key across years), ``sections`` (``panel.csv``) and
    ``domains`` (``panel_domains.csv``), both with the report's fields."""

    reports: pd.DataFrame
    sections: pd.DataFrame
    domains: pd.DataFrame
    core: tuple[str, ...]

    def plan(self) -> pd.DataFrame:
        """One row per report with a coded plan: the plan's shares and the report's fields."""
        plan = self.sections[self.sections["section"] == "plan"]
        return plan[plan["n_coded"] > 0].reset_index(drop=True)

    def plan_domains(self) -> pd.DataFrame:
        """Each domain's share of each report's plan."""
        plan = self.domains[self.domains["section"] == "plan"]
        return plan[plan["share"].notna()].reset_index(drop=True)


def load(directory: str | Path = config.PROCESSED, levels=config.LEVELS,
         years: tuple[int, int] | list[int] = (1949, 2100)) -> Panel:
    """The work reports a build wrote into ``directory`` (a path from the project root or
    absolute), of ``levels`` and from the first to the last of ``years``."""
    directory = Path(directory)
    directory = directory if directory.is_absolute() else config.ROOT / directory
    documents = inputs.read_table("documents.csv", directory)
    first, last = years[0], years[-1]
    reports = documents.loc[documents["genre"].isin(REPORT_GENRES)
                            & documents["level"].isin(list(levels))
                            & documents["year"].between(first, last), REPORT_FIELDS]
    # a government's key: its name within its parent (two cities may share a name)
    reports = reports.assign(unit=reports["parent_unit_en"].fillna("") + "/" + reports["unit_zh"])
    reports = reports.sort_values(["year", "level", "unit", "doc_id"]).reset_index(drop=True)
    sections = inputs.read_table("panel.csv", directory).merge(reports, on="doc_id")
    domains = inputs.read_table("panel_domains.csv", directory).merge(reports, on="doc_id")
    core = tuple(sorted(domains.loc[domains["livelihood_share"].notna(), "domain"].unique()))
    return Panel(reports, sections, domains, core)


def groups(reports: pd.DataFrame, focus: str) -> pd.DataFrame:
    """Which of the study's groups each report belongs to (``doc_id``, ``group``; a report may
    be in two): the State Council (``centre``), every province (``provinces``), the province
    whose English name is ``focus`` (``focus``) and that province's cities
    (``focus_cities``)."""
    level, unit, parent = reports["level"], reports["unit_en"], reports["parent_unit_en"]
    member = {"centre": level == "national", "provinces": level == "province",
              "focus": (level == "province") & (unit == focus),
              "focus_cities": (level == "city") & (parent == focus)}
    frames = [reports.loc[member[g], ["doc_id"]].assign(group=g) for g in GROUPS]
    return pd.concat(frames, ignore_index=True)
