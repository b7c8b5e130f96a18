"""A document at the size limit builds with work proportional to its size, and one over the limit
is refused before it is read.

Work is counted, not timed: the number of function calls (Python and built-in) that the
document stage makes, from ``cProfile``, which is the same on every run and machine. A step
whose cost grows with the square of a text (the difflib comparison the cleaning log once made,
a rescan of the whole text per item) shows as a ratio far above 10 between a document and one
a tenth its size; times are left to the benchmarks (``make bench-scale``).
"""

from __future__ import annotations

import cProfile
import pickle
import pstats

import pytest

from msresearch import config
from msresearch.coding.codebook import read_codebook
from msresearch.errors import InputError
from msresearch.pipeline import build
from msresearch.read import corpus
from msresearch.read.corpus import read_manifest

SENTENCES = [
    "新建幼儿园{n}所,新增学位{m}个。",
    "改造城镇老旧小区{n}个；惠及居民{m}户。",
    "实施技能培训工程,培训各类人员{m}人次。(牵头单位：市人社局,责任单位：市财政局)",
    "提高城乡居民基本医疗保险补助标准：每人每年增加{n}元。",
    "建设养老服务中心(站){n}个,到年底完成。",
    "开展“四好农村路”建设,提升改造农村公路{m} 公里。",
]
DIGITS = "一二三四五六七八九"


def chinese(k: int) -> str:
    """1 → 一, 10 → 十, 23 → 二十三 (k < 100)."""
    tens, ones = divmod(k, 10)
    return ((DIGITS[tens - 1] if tens > 1 else "") + ("十" if tens else "")
            + (DIGITS[ones - 1] if ones else ""))


def notice(size: int) -> bytes:
    """A notice of the genre of exactly ``size`` bytes (UTF-8): headings 一、 … with items 1. 2. …
    (50 under each) below them, and for the cleaning rules: web furniture, blank lines, half-width
    commas and brackets, a space before a unit."""
    lines = ["关于印发民生实事项目的通知", "", "发布时间：2024-01-01 09:00",
             "各县、区人民政府：现将有关事项通知如下："]
    n_bytes, i = len("\n".join(lines).encode()), 0
    while n_bytes < size:
        new = [f"{chinese(i // 50 + 1)}、民生工程第{i // 50 + 1}部分"] if i % 50 == 0 else []
        sentence = SENTENCES[i % len(SENTENCES)].format(n=i % 97 + 1, m=i * 37 % 9000 + 10)
        new.append(f"{i % 50 + 1}. {sentence}")
        new += [""] * (i % 7 == 0)
        lines += new
        n_bytes += sum(len(line.encode()) + 1 for line in new)
        i += 1
    text = "\n".join(lines)
    while len(text.encode()) > size:  # whole characters only
        text = text[:-1]
    return text.encode() + b"\n" * (size - len(text.encode()))


def work(data: bytes) -> tuple[int, int]:
    """The document stage's function calls for one document, and the items it found."""
    meta = {**read_manifest(config.MANIFEST).iloc[0].to_dict(), "manifest_row": 1}
    codebook = read_codebook(config.CODEBOOK)
    build.document_stage(notice(2_000), meta, codebook, "x.txt")  # load jieba's dictionary first
    profile = cProfile.Profile()
    profile.enable()
    result = build.document_stage(data, meta, codebook, "x.txt")
    profile.disable()
    status, doc = pickle.loads(result)
    assert status == "ok", doc
    calls = sum(stat[1] for stat in pstats.Stats(profile).stats.values())
    return calls, len(doc.tables["items.csv"]["item_id"])


def test_a_document_at_the_size_limit_builds_with_work_proportional_to_its_size(tmp_path):
    limit = 200_000  # bytes: --max-file-mb 0.19, small enough to profile in a second
    (tmp_path / "at.txt").write_bytes(notice(limit))
    (tmp_path / "over.txt").write_bytes(notice(limit + 1))
    assert corpus.raw_file(tmp_path, "at.txt", max_bytes=limit).name == "at.txt"
    with pytest.raises(InputError, match="over the 0.191 MB limit"):
        corpus.raw_file(tmp_path, "over.txt", max_bytes=limit)

    calls_small, items_small = work(notice(limit // 10))
    calls, items = work((tmp_path / "at.txt").read_bytes())
    assert items_small > 100 and 9 <= items / items_small <= 11  # ten times the content
    assert calls / calls_small <= 12, (calls, calls_small)  # linear, not quadratic
