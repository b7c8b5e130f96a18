"""Reading the corpus: manifest rules, checksums, encodings, HTML."""

from __future__ import annotations

import opencc
import pandas as pd
import pytest

from msresearch import config, io
from msresearch.build import index_corpus, load_corpus
from msresearch.corpus import (
    check_checksum,
    decode,
    html_to_text,
    read_document_text,
    sha256,
    validate_manifest,
)
from msresearch.errors import InputError

from .conftest import manifest_rows, write_rows

SEED = (config.RAW / "2020-anhui.txt").read_text(encoding="utf-8")


def test_seed_manifest_lists_five_documents_with_matching_checksums():
    docs, notices, _ = load_corpus()
    assert [d.doc_id for d in docs] == [
        "2017-fuyang", "2019-xuancheng", "2020-anhui", "2020-taihe", "2023-bozhou"]
    assert notices == []
    assert sorted(d.meta["level"] for d in docs) == ["city", "city", "city", "county", "province"]
    for doc in docs:
        data = (config.RAW / doc.meta["file"]).read_bytes()
        assert sha256(data) == doc.meta["sha256"]


def test_raw_files_keep_the_seed_bytes_under_their_original_names():
    manifest = io.read_manifest()
    shared = config.ROOT.parent / "shared" / "corpus"
    if not shared.is_dir():
        pytest.skip("the shared seed corpus is not beside this clone")
    for rec in manifest.to_dict("records"):
        assert (config.RAW / rec["file"]).read_bytes() == (shared / rec["source_name"]).read_bytes()


def _manifest() -> pd.DataFrame:
    return pd.read_csv(config.MANIFEST, dtype=str, keep_default_na=False)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda m: m.drop(columns="level"), "manifest.csv, line 1, field 'level': missing column"),
        (lambda m: m.assign(doc_id=["a", "a", "b", "c", "d"]),
         "manifest.csv, line 3, field 'doc_id': duplicate doc_id 'a' (also line 2)"),
        (lambda m: m.assign(level=["city", "town", "city", "county", "city"]),
         "manifest.csv, line 3, field 'level': unknown level 'town'"),
        (lambda m: m.assign(year=["2017", "2019", "twenty", "2020", "2023"]),
         "manifest.csv, line 4, field 'year': not a four-digit year: 'twenty'"),
        (lambda m: m.assign(unit_en=["Fuyang", "", "Anhui", "Taihe", "Bozhou"]),
         "manifest.csv, line 3, field 'unit_en': empty cell"),
        (lambda m: m.assign(date=["2017-08-24", "2019-4-24", "2020-04-08", "2020-06-01",
                                  "2023-09-14"]),
         "manifest.csv, line 3, field 'date': not a YYYY-MM-DD date"),
    ],
)
def test_bad_manifests_are_named_by_row_and_field(change, expected):
    with pytest.raises(InputError) as err:
        validate_manifest(change(_manifest()), "manifest.csv")
    assert str(err.value).startswith(expected)


def test_valid_manifest_types_years_as_integers():
    frame = validate_manifest(_manifest(), "manifest.csv")
    assert frame["year"].tolist() == [2017, 2019, 2020, 2020, 2023]
    assert frame.loc[frame.doc_id == "2017-fuyang", "period_end"].item() == 2021


def test_checksum_mismatch_is_an_error_and_a_missing_one_a_notice():
    data = SEED.encode("utf-8")
    assert check_checksum(data, sha256(data), "m.csv", 1) is None
    with pytest.raises(InputError, match="m.csv, line 4, field 'sha256': checksum mismatch"):
        check_checksum(data + b" ", sha256(data), "m.csv", 3)
    notice = check_checksum(data, "", "m.csv", 2)
    assert "line 3" in notice and "not yet recorded" in notice and sha256(data) in notice


def test_empty_sha256_is_reported_not_fatal(corpus):
    rows = manifest_rows(corpus / "manifest.csv")
    rows[1] = rows[1].replace(rows[1].split(",")[16], "")
    write_rows(corpus / "manifest.csv", rows)
    docs, notices, _ = load_corpus(corpus / "manifest.csv", corpus)
    assert len(docs) == 5
    assert len(notices) == 1 and "line 2, field 'sha256': not yet recorded" in notices[0]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_encodings_are_detected_not_assumed(encoding):
    text = SEED if encoding != "gbk" else SEED.replace("\u2003", " ").replace("\xa0", " ")
    decoded, found = decode(text.encode(encoding), "x.txt")
    assert decoded == text
    assert found in {"utf-8": {"utf-8"}, "utf-8-sig": {"utf-8-sig"}, "gb18030": {"gb18030"},
                     "gbk": {"gb18030"}, "utf-16": {"utf-16"}}[encoding]


def test_big5_traditional_text_is_detected():
    traditional = opencc.OpenCC("s2t").convert(SEED)
    data = traditional.encode("big5", errors="ignore")
    decoded, found = decode(data, "x.txt")
    assert found == "big5"
    assert decoded == data.decode("big5")
    assert "就業創業" in decoded


def test_crlf_and_cr_become_lf():
    assert decode("一、甲\r\n1.乙\r2.丙".encode(), "x")[0] == "一、甲\n1.乙\n2.丙"


@pytest.mark.parametrize("data", [b"", b"  \n\r\n ", "\u3000\n".encode("utf-16")])
def test_empty_documents_are_an_error(data):
    with pytest.raises(InputError, match="x.txt, field 'text': empty document"):
        decode(data, "x.txt")


def test_undecodable_bytes_are_an_error():
    with pytest.raises(InputError, match="x.bin, field 'encoding'"):
        decode(bytes(range(128, 256)) * 3 + b"\x00\x81\xff\xfe\x00", "x.bin")


def test_html_pages_are_reduced_to_visible_text():
    page = """<!DOCTYPE html><html><head><title>t</title><script>var a = "访问次数";</script>
    <style>p {color: red}</style></head><body><nav>网站首页 &gt; 信息公开</nav>
    <div class="content"><p>一、强化就业创业工作</p><p>1.开展技能培训提升。</p>
    <p>2.推动就业创业。<br>新增岗位。</p></div><footer>版权所有</footer></body></html>"""
    text = html_to_text(page)
    assert text == "一、强化就业创业工作\n1.开展技能培训提升。\n2.推动就业创业。\n新增岗位。\n"
    assert read_document_text(page.encode("gb18030"), "p.html")[0] == text


def test_missing_raw_file_is_named(corpus):
    (corpus / "2019-xuancheng.txt").unlink()
    with pytest.raises(InputError) as err:
        index_corpus(corpus / "manifest.csv", corpus)
    assert str(err.value).endswith(
        "manifest.csv, line 3, field 'file': 2019-xuancheng.txt: raw file not found")
