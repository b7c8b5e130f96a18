"""Reading a government work report (政府工作报告): its paragraphs and headings
(``paragraphs``), each paragraph's section (``sections``), its sentences with their sections,
the paragraphs of the plan's main expected targets, and the livelihood lists it holds
("办好十件民生实事：1.… 2.…"), read into items by the list reader."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from msresearch.genres.lists import Item, segment
from msresearch.genres.work_reports.paragraphs import Paragraph, paragraphs
from msresearch.genres.work_reports.sections import SECTIONS, sections

SENTENCE_END = re.compile(r"(?<=[。；！？])")
TRIM = " \t\u3000*#>"
# a livelihood list inside a report: a paragraph that announces this year's practical matters
# (it ends with a colon, is a heading, or names their count: "办好十件民生实事：", "2022年省十件
# 民生实事", "认真办好十方面民生实事。"), and numbered lines after it, each with the text below
# it, in one numbering style
LIST_START = re.compile(r"民生实事|惠民实事|为民办实事|实事项目|十件实事|民生工程")
LIST_STYLES = (r"\d+[.、．]", r"[（(]\d+[）)]", r"[①-⑳]", r"[一二三四五六七八九十]+、",
               r"[（(][一二三四五六七八九十]+[）)]", r"[一二三四五六七八九十]+是",
               r"第[一二三四五六七八九十]+[，,、件项]")
# a count of practical matters the announcing paragraph names ("十件", "十方面", "10项")
LIST_COUNT = re.compile(r"(?:\d+|[一二三四五六七八九十]+)(?:件|项|个方面|方面|大)")
MIN_LIST = 3  # numbered lines that make a list


@dataclass(frozen=True)
class Sentence:
    """A sentence of the report: its span in the clean text, its paragraph (1-based), its
    section, whether it heads a part or a task, and whether it states the main expected
    targets."""

    start: int
    end: int
    paragraph: int
    section: str
    heading: bool
    targets: bool


@dataclass(frozen=True)
class Reading:
    """What is read of one report."""

    sentences: list[Sentence]
    sections_found: list[tuple[str, str]]
    items: list[Item]
    n_paragraphs: int


def _spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The sentences of one paragraph's line, trimmed of blanks and markup."""
    line = text[start:end]
    out, pos = [], 0
    for m in list(SENTENCE_END.finditer(line)) + [None]:
        stop = m.start() if m else len(line)
        s, e = pos, stop
        while s < e and line[s] in TRIM:
            s += 1
        while e > s and line[e - 1] in TRIM:
            e -= 1
        if e > s and re.search(r"[\u4e00-\u9fff0-9A-Za-z]", line[s:e]):
            out.append((start + s, start + e))
        pos = stop
        if m is None:
            break
    return out


def _without_comments(text: str, span: tuple[int, int]) -> bool:
    return not re.fullmatch(r"\s*<!--.*-->\s*", text[span[0]:span[1]])


def read(text: str, year: int) -> Reading:
    """Read a clean report of ``year`` (the year it plans)."""
    paras = paragraphs(text)
    found = sections(paras, year)
    targets = set(found.targets)
    out = []
    for p in paras:
        for s, e in _spans(text, p.start, p.end):
            if not _without_comments(text, (s, e)):
                continue
            heading = p.heading or (bool(p.lead) and text[s:e].strip(TRIM).startswith(p.lead[:8]))
            out.append(Sentence(s, e, p.index + 1, found.of[p.index], heading, p.index in targets))
    return Reading(out, found.found, _lists(text, paras, found.of), len(paras))


def _style_of(text: str) -> str | None:
    return next((style for style in LIST_STYLES if re.match(style, text)), None)


def _lists(text: str, paras: list[Paragraph], of: list[str]) -> list[Item]:
    """The livelihood lists the report holds, read into items by the list reader (offsets in
    the report's clean text): a paragraph announcing practical matters, then numbered lines
    of one style (at least ``MIN_LIST``), each with the unnumbered lines below it, up to a
    line numbered in another style, a heading, the end matter or the end of the section."""
    from msresearch.genres.work_reports.sections import ADDRESS, END_MATTER

    items = []
    k = 0
    while k < len(paras):
        p = paras[k]
        announces = LIST_START.search(p.text) and (p.heading or p.text.endswith(("：", ":"))
                                                   or LIST_COUNT.search(p.text))
        style = _style_of(paras[k + 1].text) if announces and k + 1 < len(paras) else None
        if style is None or of[k] not in ("plan", "closing"):
            k += 1
            continue
        j, numbered = k + 1, 0
        while j < len(paras) and of[j] == of[k + 1] and not END_MATTER.match(paras[j].text) \
                and not ADDRESS.match(paras[j].text):
            own = _style_of(paras[j].text)
            if own == style:
                numbered += 1
            elif own is not None or paras[j].style in ("markdown", "bold"):
                break
            j += 1
        if numbered >= MIN_LIST:
            block, at = _unmarked(text, paras[k].start, paras[j - 1].end)
            items += [replace(it, start=at[it.start], end=at[it.end - 1] + 1)
                      for it in segment(block + "\n").items if not it.procedural]
        k = j if numbered >= MIN_LIST else k + 1
    return items


def _unmarked(text: str, start: int, end: int) -> tuple[str, list[int]]:
    """The text between two offsets without its markdown (``**``, a heading's ``#``), and
    where each of its characters stands in ``text``."""
    kept, at = [], []
    k = start
    while k < end:
        if text.startswith("**", k):
            k += 2
            continue
        if text[k] == "#" and (k == start or text[k - 1] == "\n"):
            while k < end and text[k] in "# ":
                k += 1
            continue
        kept.append(text[k])
        at.append(k)
        k += 1
    return "".join(kept), at


__all__ = ["SECTIONS", "Reading", "Sentence", "read"]
