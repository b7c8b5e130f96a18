"""Reading the corpus: manifest rules, checksums, encodings, HTML."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import opencc
import pandas as pd
import pytest

from msresearch import config
from msresearch.errors import InputError
from msresearch.io import inputs
from msresearch.pipeline.build import index_corpus, load_corpus
from msresearch.read.corpus import (
    check_checksum,
    decode,
    read_document_text,
    read_manifest,
    sha256,
    validate_manifest,
)
from msresearch.read.pages import html_to_text
from tests.conftest import manifest_rows, seed_raw, write_rows

SEED = (config.RAW / "2020-anhui.txt").read_text(encoding="utf-8")


def test_seed_manifest_lists_five_documents_with_matching_checksums():
    docs, notices, _ = load_corpus(seed_raw() / "manifest.csv", seed_raw())
    assert [d.doc_id for d in docs] == [
        "2017-fuyang", "2019-xuancheng", "2020-anhui", "2020-taihe", "2023-bozhou"]
    assert notices == []
    assert sorted(d.meta["level"] for d in docs) == ["city", "city", "city", "county", "province"]
    for doc in docs:
        data = (config.RAW / doc.meta["file"]).read_bytes()
        assert sha256(data) == doc.meta["sha256"]


def test_raw_files_keep_the_seed_bytes_under_their_original_names():
    manifest = read_manifest()
    shared = config.ROOT.parent / "shared" / "corpus"
    if not shared.is_dir():
        pytest.skip("the shared seed corpus is not beside this clone")
    for rec in manifest[manifest["genre"] != "work_report"].to_dict("records"):
        assert (config.RAW / rec["file"]).read_bytes() == (shared / rec["source_name"]).read_bytes()


def _manifest() -> pd.DataFrame:
    return pd.read_csv(seed_raw() / "manifest.csv", dtype=str, keep_default_na=False)


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


def _point_row_at(raw, name: str) -> None:
    """Make the manifest's Xuancheng row (line 3) name ``name`` as its file."""
    rows = manifest_rows(raw / "manifest.csv")
    rows[2] = rows[2].replace(",2019-xuancheng.txt,", f",{name},", 1)
    write_rows(raw / "manifest.csv", rows)


def _outside(raw):
    """The Xuancheng file moved beside the raw folder, its checksum still right."""
    outside = raw.parent / "outside.txt"
    (raw / "2019-xuancheng.txt").rename(outside)
    return outside


def _dotdot(raw):
    _outside(raw)
    _point_row_at(raw, "../outside.txt")
    return "../outside.txt: has a '..' part"


def _absolute(raw):
    outside = _outside(raw)
    _point_row_at(raw, str(outside))
    return f"{outside}: is an absolute path"


def _symlink_out(raw):
    outside = _outside(raw)
    (raw / "2019-xuancheng.txt").symlink_to(outside)
    return "2019-xuancheng.txt: resolves outside the raw folder"


def _symlinked_folder_out(raw):
    outside = _outside(raw)
    (raw / "sub").symlink_to(outside.parent)
    _point_row_at(raw, "sub/outside.txt")
    return "sub/outside.txt: resolves outside the raw folder"


def _directory(raw):
    (raw / "2019-xuancheng.txt").unlink()
    (raw / "2019-xuancheng.txt").mkdir()
    return "2019-xuancheng.txt: is not a regular file (a folder)"


def _plan(manifest, raw, **kwargs):
    from msresearch.pipeline.build import plan

    return plan(manifest, raw, b"codebook", **kwargs)


@pytest.mark.parametrize("change", [_dotdot, _absolute, _symlink_out, _symlinked_folder_out,
                                    _directory])
@pytest.mark.parametrize("reader", [_plan, load_corpus], ids=["plan", "load_corpus"])
def test_raw_files_must_stay_inside_the_raw_folder(corpus, change, reader):
    expected = change(corpus)
    found, _, failed = reader(corpus / "manifest.csv", corpus)
    assert len(found) == 4 and "2019-xuancheng" not in {getattr(f, "doc_id", None) or
                                                       f.meta["doc_id"] for f in found}
    assert [meta["doc_id"] for _, meta in failed] == ["2019-xuancheng"]
    message = str(failed[0][0])
    assert message.startswith("manifest.csv, line 3, field 'file': " + expected), message
    assert "\n" not in message


def test_a_symlink_inside_the_raw_folder_is_followed(corpus):
    (corpus / "2019-xuancheng.txt").rename(corpus / "real.txt")
    (corpus / "2019-xuancheng.txt").symlink_to("real.txt")
    tasks, _, failed = _plan(corpus / "manifest.csv", corpus)
    assert failed == [] and len(tasks) == 5


# in a child process with a memory cap and a time limit: before the check, a FIFO blocked
# the build for ever and /dev/zero was read until memory ran out
PLAN_CHILD = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (4 * 2**30, resource.RLIMIT_AS_HARD))
from msresearch.pipeline.build import plan
tasks, _, failed = plan(sys.argv[1], sys.argv[2], b"codebook")
print(len(tasks))
for err, _ in failed:
    print(err)
""".replace("resource.RLIMIT_AS_HARD", "resource.getrlimit(resource.RLIMIT_AS)[1]")


def _dev_zero(raw):
    (raw / "2019-xuancheng.txt").unlink()
    (raw / "2019-xuancheng.txt").symlink_to("/dev/zero")
    return "2019-xuancheng.txt: resolves outside the raw folder"


def _fifo(raw):
    (raw / "2019-xuancheng.txt").unlink()
    os.mkfifo(raw / "2019-xuancheng.txt")
    return "2019-xuancheng.txt: is not a regular file (a FIFO)"


@pytest.mark.parametrize("change", [_dev_zero, _fifo])
def test_devices_and_fifos_are_refused_at_once(corpus, change):
    expected = change(corpus)
    proc = subprocess.run([sys.executable, "-c", PLAN_CHILD, str(corpus / "manifest.csv"),
                           str(corpus)], capture_output=True, text=True, timeout=60,
                          check=False, cwd=config.ROOT)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.splitlines() == [
        "4", "manifest.csv, line 3, field 'file': " + expected]


def _sparse(path, size: int) -> None:
    with open(path, "wb") as f:
        f.truncate(size)


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(corpus, monkeypatch):
    _sparse(corpus / "2019-xuancheng.txt", 21 * 2**20)
    read = []
    real = inputs.read_bytes
    monkeypatch.setattr(inputs, "read_bytes", lambda path, row=None: read.append(Path(path).name)
                        or real(path, row))
    tasks, _, failed = _plan(corpus / "manifest.csv", corpus)  # the default limit: 20 MB
    assert len(tasks) == 4 and "2019-xuancheng.txt" not in read
    assert str(failed[0][0]) == ("manifest.csv, line 3, field 'file': 2019-xuancheng.txt: is "
                                 "21.0 MB, over the 20 MB limit (--max-file-mb)")
    read.clear()
    tasks, _, failed = _plan(corpus / "manifest.csv", corpus, max_bytes=2**20)
    assert len(tasks) == 4 and "2019-xuancheng.txt" not in read
    assert str(failed[0][0]).endswith("is 21.0 MB, over the 1 MB limit (--max-file-mb)")


def test_load_corpus_takes_the_size_limit_too(corpus):
    _sparse(corpus / "2019-xuancheng.txt", 3 * 2**20)
    docs, _, failed = load_corpus(corpus / "manifest.csv", corpus, max_bytes=2 * 2**20)
    assert len(docs) == 4
    assert str(failed[0][0]) == ("manifest.csv, line 3, field 'file': 2019-xuancheng.txt: is "
                                 "3.0 MB, over the 2 MB limit (--max-file-mb)")
    assert config.MAX_FILE_BYTES == config.MAX_FILE_MB * 2**20 == 20 * 2**20


def test_an_empty_or_folder_manifest_is_one_input_error_for_the_library_too(tmp_path):
    from msresearch.errors import InputError

    (tmp_path / "empty.csv").write_bytes(b"")
    with pytest.raises(InputError, match="is empty: no header line"):
        read_manifest(tmp_path / "empty.csv")
    (tmp_path / "folder.csv").mkdir()
    with pytest.raises(InputError, match="is a folder"):
        read_manifest(tmp_path / "folder.csv")
