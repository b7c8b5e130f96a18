"""Notebooks read the build's tables, or recompute them with a researcher's own codebook."""

from __future__ import annotations

import yaml

from msresearch import config, study


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
