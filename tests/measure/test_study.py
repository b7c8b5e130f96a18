"""Notebooks read the build's tables, or recompute them with a researcher's own codebook."""

from __future__ import annotations

import pandas as pd
import yaml

from msresearch import config
from msresearch.io import inputs
from msresearch.link import families
from msresearch.measure import study


def test_the_builds_codebook_reads_the_committed_tables():
    coded = study.load(config.CODEBOOK)
    assert not coded.rebuilt
    assert len(coded.attention) == len(coded.documents) * len(coded.codebook.ids)


def test_another_codebook_recodes_the_items_and_recomputes_attention(tmp_path):
    data = yaml.safe_load(config.CODEBOOK.read_text(encoding="utf-8"))
    # merge two domains into one: a coarser scheme a researcher might prefer
    merged = next(d for d in data["domains"] if d["id"] == "social_assistance")
    dropped = next(d for d in data["domains"] if d["id"] == "disability")
    merged["patterns"].update(dropped["patterns"])
    merged["decisive"] = dropped.get("decisive", [])
    data["domains"].remove(dropped)
    for ids in data["genres"]["work_report"]["livelihood"].values():  # the genre's sets name it
        ids.remove("disability")
    path = tmp_path / "coarse.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    coded = study.load(path)
    assert coded.rebuilt
    assert "disability" not in set(coded.items["domain"])
    assert set(coded.attention["domain"]) == set(coded.codebook.ids)
    sums = coded.attention.groupby("doc_id")["item_share"].sum()
    assert ((sums - 1).abs() < 1e-9).all()
    before = study.load(config.CODEBOOK).items
    moved = (before["domain"] == "disability").sum()
    assert moved > 0
    assert (coded.items["domain"] == "social_assistance").sum() >= moved


def test_reuse_is_read_from_the_build_or_recomputed_for_other_settings():
    coded = study.load(config.CODEBOOK)
    built = study.load_reuse(coded)
    assert not built.rebuilt and len(built.reuse) > 0
    assert set(built.origins["origin"]) == {"inherited", "national", "shared", "local"}
    # the origins read back from reuse.csv are those the families were grown with
    grown = families.build(study.compared_texts(), inputs.read_table("documents.csv"),
                           built.params, config.LEVELS)
    pd.testing.assert_frame_equal(built.origins.drop(columns="domain"),
                                  grown.origins.drop(columns="domain"), check_dtype=False)
    # the weights the pairwise figures use are those the families were grown with
    assert (study.reuse_weights(built.params).weights
            == families.prepare(study.compared_texts(), built.params).weights.weights).all()
    loose = study.load_reuse(coded, "params/reuse/loose.yaml")
    assert loose.rebuilt and loose.params.same_weighted < built.params.same_weighted
    assert (loose.origins["origin"] == "local").sum() < (built.origins["origin"] == "local").sum()
