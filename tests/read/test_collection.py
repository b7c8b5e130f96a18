"""The collection of work reports: its listing, units and their parents, delivery dates, the
year a report plans, manifest rows, and obtaining files by checksum, locally or over HTTP."""

from __future__ import annotations

import csv
import hashlib
import shutil
import threading
from functools import partial
from http.server import HTTPServer, SimpleHTTPRequestHandler
from pathlib import Path

import pandas as pd
import pytest

from msresearch import config
from msresearch.cli import main
from msresearch.errors import InputError
from msresearch.read import collection

PATHS = ["政府工作报告-国务院/2021.md", "政府工作报告-省自治区/安徽省/2021.md",
         "政府工作报告-主要城市/合肥市/2021.md", "政府工作报告-其他地市/阜阳市/2021.md"]


@pytest.mark.parametrize(("text", "title", "date"), [
    ("---\ntitle: x\n---\n\n**政府工作报告**\n——2020年1月12日在安徽省第十三届人民代表大会上\n", "",
     "2020-01-12"),
    ("**政府工作报告**\n**——二〇二三年一月十五日在江苏省第十四届人民代表大会上**\n", "", "2023-01-15"),
    ("（2020年5月14日）\n在成都市第十七届人民代表大会第三次会议上\n", "", "2020-05-14"),
    ("各位代表：\n2019年1月5日以来，我们……\n", "阜阳市政府工作报告（2021年1月19日 孙正东）", "2021-01-19"),
    ("各位代表：\n现在，我代表市人民政府……\n", "合肥市2019年政府工作报告", ""),
])
def test_the_delivery_date_comes_from_the_date_line_or_the_title(text, title, date):
    assert collection.delivery_date(text, title) == date


@pytest.mark.parametrize(("date", "listed", "year"), [
    ("2021-01-19", "2021", 2021), ("2021-12-21", "2021", 2022), ("2016-11-10", "2017", 2017),
    ("", "2018", 2018), ("2018-01-26", "2017", 2018)])
def test_a_report_plans_the_year_it_is_delivered_in_or_the_next_from_november(date, listed, year):
    assert collection.plan_year(date, listed) == year


def _listing() -> pd.DataFrame:
    sources = collection.read_sources(config.WORK_REPORT_SOURCES)
    return sources[sources["path"].isin(PATHS)]


def test_units_and_their_parents_come_from_the_table_of_divisions():
    sources = _listing()
    units = collection.units(sources, collection.read_divisions())
    got = dict(zip(sources["unit_zh"], zip(units["unit_en"], units["parent_unit_en"],
                                           strict=True), strict=True))
    assert got == {"中国": ("China", ""), "安徽省": ("Anhui", "China"),
                   "合肥市": ("Hefei", "Anhui"), "阜阳市": ("Fuyang", "Anhui")}
    unknown = sources.head(1).assign(level="city", unit_zh="无名市")
    with pytest.raises(InputError, match="no prefecture '无名市'"):
        collection.units(unknown, collection.read_divisions())


def test_two_prefectures_of_one_english_name_are_told_apart():
    divisions = collection.read_divisions()
    suzhou = divisions[divisions["unit_en"].str.startswith("Suzhou")]["unit_en"]
    assert sorted(suzhou) == ["Suzhou (Anhui)", "Suzhou (Jiangsu)"]


def test_a_selection_takes_the_centre_the_provinces_and_a_provinces_cities():
    sources = collection.read_sources(config.WORK_REPORT_SOURCES)
    divisions = collection.read_divisions()
    chosen = collection.select(sources, divisions, ["national", "cities"], "安徽")
    levels = chosen["level"].value_counts().to_dict()
    assert levels == {"national": 7, "city": 54, "province": 7}
    with pytest.raises(InputError, match="unknown part 'county'"):
        collection.select(sources, divisions, ["county"])


def test_manifest_rows_correct_the_year_by_the_date_line_and_leave_out_a_second_copy():
    """Two files of one unit that are one report (the listing's year wrong for one of them):
    the one the listing dates right is kept, the other left out with a notice."""
    sources = _listing().set_index("path").loc[PATHS[:2]].reset_index()
    first, second = sources.iloc[0], sources.iloc[1]
    twin = second.copy()
    twin["path"], twin["year"] = "copy/2020.md", "2020"
    chosen = pd.concat([sources, twin.to_frame().T], ignore_index=True)
    texts = {p: f"——{second['year']}年1月10日在人民代表大会上\n" for p in chosen["path"]}
    texts[first["path"]] = "——2021年3月5日在第十三届全国人民代表大会第四次会议上\n"
    rows, notices = collection.manifest_rows(chosen, collection.read_divisions(), texts)
    assert list(rows["doc_id"]) == ["2021-china-wr", "2021-anhui-wr"]
    assert list(rows["year"]) == ["2021", "2021"] and rows["genre"].eq("work_report").all()
    assert rows.set_index("doc_id").at["2021-anhui-wr", "file"] == f"work-reports/{second['path']}"
    assert notices == [f"work-reports/copy/2020.md is left out: 安徽省's report for 2021 again "
                       f"(as work-reports/{second['path']}), from another source"]
    alone, _ = collection.manifest_rows(twin.to_frame().T, collection.read_divisions(), texts)
    assert alone.at[0, "notes"] == ("the listing gives 2020; its date line (2021-01-10) makes it "
                                    "the report for 2021")


def _collection(tmp_path: Path) -> Path:
    """A local copy of the collection holding the four reports and their listing."""
    root = tmp_path / "collection"
    for path in PATHS:
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(config.WORK_REPORTS / path, root / path)
    listing = pd.read_csv(config.WORK_REPORT_SOURCES, dtype=str, keep_default_na=False)
    listing[listing["path"].isin(PATHS)].to_csv(root / "SOURCES.csv", index=False)
    return root


def test_files_are_obtained_only_with_the_bytes_the_listing_gives(tmp_path):
    local = _collection(tmp_path)
    chosen = collection.read_sources(local / "SOURCES.csv")
    texts = collection.obtain(chosen, tmp_path / "raw", local)
    assert sorted(texts) == sorted(PATHS)
    for path in PATHS:
        assert (tmp_path / "raw" / "work-reports" / path).read_bytes() == (local / path).read_bytes()
    (local / PATHS[2]).write_bytes((local / PATHS[2]).read_bytes() + b"\n")
    (tmp_path / "raw" / "work-reports" / PATHS[2]).unlink()
    with pytest.raises(InputError, match="field 'sha256': has SHA-256 .*, the listing says"):
        collection.obtain(chosen, tmp_path / "raw", local)


def test_files_are_fetched_from_the_pinned_commit_by_checksum(tmp_path, monkeypatch):
    """Over HTTP, as from the collection's host (a local server standing in for it)."""
    local = _collection(tmp_path)
    served = tmp_path / "served" / collection.COLLECTION / collection.COMMIT
    shutil.copytree(local, served)
    handler = partial(SimpleHTTPRequestHandler, directory=str(tmp_path / "served"))
    server = HTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        monkeypatch.setattr(collection, "URL", f"http://127.0.0.1:{server.server_port}"
                                               "/{collection}/{commit}/{path}")
        chosen = collection.read_sources(local / "SOURCES.csv")
        collection.obtain(chosen, tmp_path / "raw", None)
        assert (tmp_path / "raw" / "work-reports" / PATHS[0]).read_bytes() == \
            (local / PATHS[0]).read_bytes()
        chosen.loc[chosen.index[0], "path"] = "政府工作报告-国务院/1999.md"
        with pytest.raises(InputError, match="cannot be fetched"):
            collection.obtain(chosen, tmp_path / "raw", None)
    finally:
        server.shutdown()


def test_the_reports_command_adds_rows_and_keeps_the_others(tmp_path, corpus, capsys):
    local = _collection(tmp_path)
    before = pd.read_csv(corpus / "manifest.csv", dtype=str, keep_default_na=False)
    assert main(["reports", "--from", str(local), "--raw", str(corpus)]) == 0
    assert "added 4 work report(s)" in capsys.readouterr().out
    after = pd.read_csv(corpus / "manifest.csv", dtype=str, keep_default_na=False)
    assert list(after["doc_id"][:len(before)]) == list(before["doc_id"])
    assert sorted(after["doc_id"][len(before):]) == [
        "2021-anhui-wr", "2021-china-wr", "2021-fuyang-wr", "2021-hefei-wr"]
    assert main(["reports", "--from", str(local), "--raw", str(corpus)]) == 0  # again: same rows
    assert pd.read_csv(corpus / "manifest.csv", dtype=str, keep_default_na=False).equals(after)
    rows = list(csv.DictReader(open(corpus / "manifest.csv", encoding="utf-8")))
    for row in rows[len(before):]:
        data = (corpus / row["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == row["sha256"]


def test_the_panel_command_builds_every_city_into_its_own_folder(tmp_path, capsys):
    local = _collection(tmp_path)
    out = tmp_path / "panel"
    assert main(["panel", "--from", str(local), "--out", str(out), "--jobs", "1"]) == 0
    documents = pd.read_csv(out / "processed" / "documents.csv", keep_default_na=False)
    assert sorted(documents["doc_id"]) == ["2021-fuyang-wr", "2021-hefei-wr"]
    assert documents["sections"].str.contains("plan").all()
    assert "built the national city panel: 2 report(s)" in capsys.readouterr().out
