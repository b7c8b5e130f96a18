"""The collection of government work reports the study reads (lawtext/gov at a pinned commit):
its listing (``SOURCES.csv``), the administrative divisions its units belong to
(``data/reference/divisions.csv``), the delivery date a report's date line gives, and the
manifest rows of the reports chosen. Obtaining the files — from a local copy of the
collection or from its pinned commit on the network — checks every file against its
SHA-256 in the listing."""

from __future__ import annotations

import hashlib
import re
import urllib.parse
import urllib.request
from pathlib import Path, PurePosixPath

import pandas as pd

from msresearch import config
from msresearch.errors import InputError
from msresearch.io import atomic
from msresearch.io.inputs import label, read_text_csv

COLLECTION = "lawtext/gov"
COMMIT = "fc1a2f67a589763dc905aaa90f2b1ba356bbccde"
URL = "https://raw.githubusercontent.com/{collection}/{commit}/{path}"
SOURCE_COLUMNS = ("path", "level", "unit_zh", "year", "bytes", "sha256", "source_url", "title")
GENRE, GENRE_ZH = "work_report", "政府工作报告"
NATIONAL_EN, NATIONAL_ISSUER = "China", "国务院"
RAW_SUBDIR = "work-reports"  # where the reports lie under a raw folder, in the collection's layout
# what a unit's name ends with besides its proper name (合肥市, 新疆维吾尔自治区, 阿克苏地区)
SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "特别行政区", "省", "市", "地区", "盟")
# the parts of a selection: the State Council, the provincial units, and a province's cities
SELECTIONS = ("national", "provinces", "cities")


def read_sources(path: Path) -> pd.DataFrame:
    """The collection's listing, every cell as text; a missing column is an InputError."""
    sources = read_text_csv(path, "listing of the collection")
    missing = [c for c in SOURCE_COLUMNS if c not in sources.columns]
    if missing:
        raise InputError(label(path), f"missing column(s): {', '.join(missing)}", line=1,
                         field=missing[0])
    for row, rec in enumerate(sources.to_dict("records"), start=1):
        if rec["level"] not in ("national", "province", "city"):
            raise InputError(label(path), f"unknown level {rec['level']!r}", row=row, field="level")
        if not re.fullmatch(r"\d{4}", rec["year"]):
            raise InputError(label(path), f"not a year: {rec['year']!r}", row=row, field="year")
        if not re.fullmatch(r"[0-9a-f]{64}", rec["sha256"]):
            raise InputError(label(path), "not a SHA-256", row=row, field="sha256")
        if PurePosixPath(rec["path"]).is_absolute() or ".." in PurePosixPath(rec["path"]).parts:
            raise InputError(label(path), f"not a path inside the collection: {rec['path']!r}",
                             row=row, field="path")
    return sources


def read_divisions(path: Path = config.DIVISIONS) -> pd.DataFrame:
    """Provincial and prefecture-level divisions: code, level, Chinese name (without its
    suffix), English name, and the code of the province each lies in."""
    return read_text_csv(path, "table of administrative divisions")


def _proper(name: str) -> str:
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def units(sources: pd.DataFrame, divisions: pd.DataFrame) -> pd.DataFrame:
    """Each report's unit: its English name, its parent's English name (China above a
    province, the province above a city) and its province's Chinese name. A unit the table
    does not know is an InputError naming it."""
    provinces = divisions[divisions["level"] == "province"].set_index("name_zh")
    cities = divisions[divisions["level"] == "city"]
    by_code = divisions.set_index("adcode")
    rows = []
    for rec in sources.to_dict("records"):
        name = rec["unit_zh"]
        if rec["level"] == "national":
            rows.append((NATIONAL_EN, "", ""))
            continue
        if rec["level"] == "province":
            match = provinces.loc[[_proper(name)]] if _proper(name) in provinces.index else None
            if match is None:
                raise InputError(label(config.DIVISIONS), f"no province {name!r}", field="name_zh")
            rows.append((match["unit_en"].iloc[0], NATIONAL_EN, _proper(name)))
            continue
        match = cities[(cities["name_zh"] == name) | (cities["name_zh"] == _proper(name))]
        if len(match) != 1:
            raise InputError(label(config.DIVISIONS), f"{'no' if match.empty else 'more than one'} "
                             f"prefecture {name!r}", field="name_zh")
        province = by_code.loc[match["province_adcode"].iloc[0]]
        rows.append((match["unit_en"].iloc[0], province["unit_en"], province["name_zh"]))
    return pd.DataFrame(rows, columns=["unit_en", "parent_unit_en", "province_zh"],
                        index=sources.index)


def select(sources: pd.DataFrame, divisions: pd.DataFrame, parts: list[str],
           province: str | None = None) -> pd.DataFrame:
    """The reports of the chosen parts: ``national`` (the State Council), ``provinces`` (every
    provincial unit), ``cities`` (the cities of ``province``, a Chinese name such as 安徽, or
    of every province when it is None); and, with a province, that province's own reports."""
    unknown = [p for p in parts if p not in SELECTIONS]
    if unknown:
        raise InputError("--select", f"unknown part {unknown[0]!r}; the parts are "
                         + ", ".join(SELECTIONS))
    of = units(sources, divisions)
    keep = pd.Series(False, index=sources.index)
    if "national" in parts:
        keep |= sources["level"] == "national"
    if "provinces" in parts:
        keep |= sources["level"] == "province"
    if "cities" in parts:
        keep |= (sources["level"] == "city") & ((of["province_zh"] == province) if province else True)
    if province:
        keep |= (sources["level"] == "province") & (of["province_zh"] == province)
    return sources[keep]


# "——2020年1月12日在安徽省第十三届人民代表大会第三次会议上", "（2020年5月14日）", or the title
DATE = re.compile(r"(?P<y>(?:19|20)\d{2}|[〇零一二三四五六七八九]{4})\s*年\s*"
                  r"(?P<m>\d{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*"
                  r"(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})\s*日")
DATE_LINE_LINES = 12  # a report's date line stands among its first lines


def _number(text: str) -> int:
    import cn2an

    if text.isdigit():
        return int(text)
    if len(text) == 4 and set(text) <= set("〇零一二三四五六七八九"):  # a year written digit by digit
        return int("".join(str("〇一二三四五六七八九".index(c.replace("零", "〇"))) for c in text))
    return int(cn2an.cn2an(text, "smart"))


def delivery_date(text: str, title: str = "") -> str:
    """The date a report was delivered, as YYYY-MM-DD: from its date line (one of its first
    lines, after the collection's header) or else from its title; "" when neither gives one.
    A date line names the congress session it was delivered at ("…日在…人民代表大会…"), or
    stands alone in brackets."""
    body = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)
    lines = [line.strip(" *#\u3000") for line in body.split("\n") if line.strip()]
    for line in lines[:DATE_LINE_LINES]:
        m = DATE.search(line)
        if m and ("代表大会" in line or re.fullmatch(r"[（(——\-\s]*" + DATE.pattern + r"[)）\s]*", line)
                  or "通过" in line):
            return _iso(m)
    m = DATE.search(title)
    return _iso(m) if m else ""


def _iso(m: re.Match) -> str:
    return f"{_number(m['y']):04d}-{_number(m['m']):02d}-{_number(m['d']):02d}"


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def plan_year(date: str, listed: str) -> int:
    """The year a report plans: the year it was delivered, or the next one for a report
    delivered in November or December; the listing's year when there is no date."""
    if not date:
        return int(listed)
    year, month = int(date[:4]), int(date[5:7])
    return year + 1 if month >= 11 else year


def manifest_rows(chosen: pd.DataFrame, divisions: pd.DataFrame, texts: dict[str, str]
                  ) -> tuple[pd.DataFrame, list[str]]:
    """A manifest row for each chosen report (``texts``: each report's text by its path, for
    the date line), in the manifest's columns, and notices. The file lies under
    ``RAW_SUBDIR`` in the collection's own layout. ``year`` is the year the report plans: where
    the date line says another than the listing, the date line decides and ``notes`` says so.
    Two files of one unit that plan the same year are one report from two sources: the one
    the listing dates right is kept (else the first), the other left out with a notice."""
    from msresearch.read.corpus import MANIFEST_COLUMNS

    of = units(chosen, divisions)
    rows = []
    for rec, unit in zip(chosen.to_dict("records"), of.to_dict("records"), strict=True):
        national = rec["level"] == "national"
        date = delivery_date(texts[rec["path"]], rec["title"])
        year = plan_year(date, rec["year"])
        notes = (f"the listing gives {rec['year']}; its date line ({date}) makes it the report "
                 f"for {year}") if year != int(rec["year"]) else ""
        rows.append({
            "doc_id": f"{year}-{_slug(unit['unit_en'])}-wr",
            "file": f"{RAW_SUBDIR}/{rec['path']}",
            "source_name": f"{COLLECTION}@{COMMIT[:12]}:{rec['path']}",
            "level": rec["level"],
            "unit_zh": NATIONAL_ISSUER if national else rec["unit_zh"],
            "unit_en": unit["unit_en"],
            "parent_unit_en": unit["parent_unit_en"],
            "issuer": NATIONAL_ISSUER if national else f"{rec['unit_zh']}人民政府",
            "doc_number": "",
            "genre": GENRE,
            "genre_zh": GENRE_ZH,
            "date": date,
            "posted": "",
            "year": str(year),
            "period_start": str(year),
            "period_end": str(year),
            "sha256": rec["sha256"],
            "notes": notes,
            "source_url": rec["source_url"],
        })
    frame = pd.DataFrame(rows, columns=list(MANIFEST_COLUMNS))
    frame["_listed_right"] = frame["notes"] == ""
    frame = frame.sort_values(["doc_id", "_listed_right", "file"], ascending=[True, False, True],
                              kind="stable")
    twice = frame["doc_id"].duplicated()
    notices = [f"{row.file} is left out: {row.unit_zh}'s report for {row.year} again (as "
               f"{frame.loc[(frame['doc_id'] == row.doc_id) & ~twice, 'file'].iloc[0]}), from "
               f"another source" for row in frame[twice].itertuples()]
    kept = frame[~twice].drop(columns="_listed_right").sort_values("file", kind="stable")
    return kept.reset_index(drop=True), notices


def _fetch(path: str) -> bytes:
    url = URL.format(collection=COLLECTION, commit=COMMIT, path=urllib.parse.quote(path))
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.read()
    except OSError as err:
        raise InputError(url, f"cannot be fetched: {err}") from None


def obtain(chosen: pd.DataFrame, raw_dir: Path, local: Path | None) -> dict[str, str]:
    """Put each chosen report under ``raw_dir/RAW_SUBDIR`` with its exact bytes, from the
    local copy of the collection ``local`` or else from its pinned commit on the network,
    each checked against its SHA-256; a file already in place with the right bytes is kept.
    Returns each report's text by its path."""
    texts = {}
    for row, rec in enumerate(chosen.to_dict("records"), start=1):
        target = Path(raw_dir) / RAW_SUBDIR / rec["path"]
        data = target.read_bytes() if target.is_file() else None
        if data is None or hashlib.sha256(data).hexdigest() != rec["sha256"]:
            if local is not None:
                source = Path(local) / rec["path"]
                try:
                    data = source.read_bytes()
                except OSError as err:
                    raise InputError(label(source), f"unreadable: {err.strerror}") from None
            else:
                source, data = None, _fetch(rec["path"])
            actual = hashlib.sha256(data).hexdigest()
            if actual != rec["sha256"]:
                raise InputError(label(source) if source else rec["path"],
                                 f"has SHA-256 {actual}, the listing says {rec['sha256']}",
                                 row=row, field="sha256")
            atomic.write_bytes(target, data)
        texts[rec["path"]] = data.decode("utf-8", errors="replace")
    return texts
