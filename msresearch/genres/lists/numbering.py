"""Numbered lines and inline enumerations: printed numbers found, checked as sequences.

Reads every numbering style of the genre, at the start of a line::

    一、稳定和扩大就业          （一）促进重点群体就业       1.实施技能培训工程（also 1、 1。 1．）
    （1）新建幼儿园              ①改造老旧小区               第一件：新建学校  第三项，…
    礼包3：免费体检              民生实事之二：…              一是扩大就业…

and inside one paragraph (``（1）…（2）…``, ``①…②…``, ``一是…；二是…``). A printed number is
accepted only when it continues its style's sequence (the next number, a restart at 1 under
a new heading, or the number after the last one of the style when a list runs on across
headings), so "2.30所学校…" is item 2 and a line that happens to begin "1.5万人" is not a
new item unless a 1. is due. Jumps in a sequence are kept as gaps ("3.→5."), never hidden.
Arabic numbers at the start of a line have any number of digits (a list may run to 1.…1200.);
the sequence, not a cap, keeps a year ("2020、") from being read as one. Only the loose
"1 标题" style and enumerations inside a paragraph stay at two digits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

CN = "一二三四五六七八九十百零〇两"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
NOT_LABELS = ("附件", "附表", "图", "表", "第", "其")
# Styles rare enough that a lone first number ("…之一", "一是") is taken only when a second
# of the same style follows.
LOOSE = ("第一件", "之一", "一是", "1 标题", "1⏎")

# (style, pattern at the start of a line); the style's name is also its printed form.
LINE_STYLES: tuple[tuple[str, re.Pattern], ...] = (
    ("一、", re.compile(rf"([{CN}]{{1,3}})[、．.]")),
    ("（一）", re.compile(rf"[（(]([{CN}]{{1,3}})[）)][、．.]?")),
    ("第一件", re.compile(rf"第([{CN}]{{1,3}}|\d+)[件项](?:[：:、，,．.]\s*|\s+)?")),
    ("之一", re.compile(rf"[^，。；：:\s]{{0,12}}之([{CN}]{{1,3}})(?:[：:．.]\s*|\s+|$)")),
    ("礼包1：", re.compile(
        rf"(?P<label>[^\s\d{CN}，。；：:、（）()《》“”]{{1,4}})([{CN}]{{1,3}}|\d{{1,2}})[：:]")),
    ("一是", re.compile(rf"([{CN}]{{1,3}})是(?=[^是])")),
    ("1.", re.compile(r"(\d+)(?:[.．、。](?![.．、。\d])|[.．](?=\d))")),
    ("（1）", re.compile(r"[（(](\d+)[）)]|(\d+)[）)]")),
    ("①", re.compile(rf"([{CIRCLED}])[、．.]?")),
    ("1 标题", re.compile(r"(\d{1,2})\s*(?=[\u4e00-\u9fff][^，。；：:]{0,13}$)")),
)
# Styles that may also run inline, inside one paragraph, after sentence punctuation.
INLINE_STYLES: tuple[tuple[str, re.Pattern], ...] = (
    ("（1）", re.compile(r"[（(](\d{1,2})[）)]")),
    ("①", re.compile(rf"([{CIRCLED}])")),
    ("一是", re.compile(rf"(?<=[。；;，,：:\s])([{CN}]{{1,3}})是")),
    ("1.", re.compile(r"(?<=[。；;：:！!？?\s])(\d{1,2})[.．、](?!\d)")),
)


@dataclass(frozen=True)
class Marker:
    """A printed number: where it stands, where the text after it begins, its style and value."""

    start: int
    body: int
    style: str
    value: int
    printed: str
    line: int
    inline: bool = False
    weak: bool = False  # followed by a digit ("2.30所"): accepted only when its number is due


@cache
def numeral(text: str) -> int | None:
    """The value of a printed number: Arabic, Chinese (cn2an) or circled."""
    if len(text) == 1 and text in CIRCLED:  # before isdigit(), which is true of "①"
        return CIRCLED.index(text) + 1
    if text.isascii() and text.isdigit():
        return int(text)
    import cn2an

    try:
        return int(cn2an.cn2an(text, "smart"))
    except (ValueError, KeyError, TypeError):
        return None


def _value(m: re.Match) -> int | None:
    groups = [g for k, g in enumerate(m.groups(), start=1)
              if g is not None and k != (m.re.groupindex.get("label") or 0)]
    return numeral(groups[0]) if groups else None


def line_marker(text: str, offset: int, index: int) -> Marker | None:
    """The printed number at the start of a line, if it has one of the styles above."""
    for style, pattern in LINE_STYLES:
        m = pattern.match(text)
        if not m:
            continue
        value = _value(m)
        if value is None or value == 0:
            continue
        if style == "礼包1：":
            label = m.group("label")
            if label.startswith(NOT_LABELS) or label.endswith(("单位", "部门", "领导")):
                continue
            style = f"{label}1："
        rest = text[m.end():]
        if not rest.strip():
            continue
        weak = style == "1." and rest[:1].isdigit()
        return Marker(offset, offset + m.end(), style, value, m.group(0).strip(), index, weak=weak)
    return None


def inline_markers(text: str, offset: int, index: int, first: Marker | None) -> list[Marker]:
    """Enumerations inside one paragraph: a run 1, 2, 3… of one inline style (at least two),
    continuing the line's own printed number when it has the same style."""
    out: list[Marker] = []
    skip = first.body - offset if first else 0
    for style, pattern in INLINE_STYLES:
        expected = first.value + 1 if first and first.style == style else 1
        run = []
        for m in pattern.finditer(text, skip):
            value = _value(m)
            if value == expected:
                run.append(Marker(offset + m.start(), offset + m.end(), style, value,
                                  m.group(0), index, inline=True))
                expected += 1
        if len(run) >= 2 or (run and first and first.style == style):
            out.extend(run)
    return sorted(out, key=lambda mk: mk.start)


@dataclass(frozen=True)
class Sequenced:
    """Markers accepted as numbering, each with its depth, and the gaps in the sequences."""

    markers: list[Marker]
    depths: list[int]
    gaps: list[str]


def sequence(candidates: list[Marker]) -> Sequenced:
    """Keep the candidates that continue a numbering sequence; nest styles by first use.

    A stack of open styles gives each accepted number its depth: a style already open closes
    everything below it; a new style opens one level deeper. An enumeration inside a paragraph
    closes with its paragraph: a later line's number is never its sub-entry."""
    stack: list[tuple[str, int, bool, int]] = []  # (style, last value, inline, line)
    last_of: dict[str, int] = {}
    accepted, depths, gaps = [], [], []
    candidates = sorted(candidates, key=lambda mk: mk.start)
    for k, mk in enumerate(candidates):
        if not mk.inline:
            while stack and stack[-1][2] and stack[-1][0] != mk.style and stack[-1][3] != mk.line:
                stack.pop()
        open_styles = [s for s, _, _, _ in stack]
        if mk.style in open_styles:
            prev = stack[open_styles.index(mk.style)][1]
            due = {prev + 1} if mk.weak else {prev + 1, 1}
        else:
            prev = last_of.get(mk.style, 0)
            due = {1, prev + 1}
        ok = mk.value in due
        if not ok and not mk.weak and not mk.inline and prev < mk.value <= prev + 4:
            ok = True  # a jump: accepted, and reported
        loose = mk.weak or mk.style in LOOSE or mk.style.endswith("1：")
        if ok and loose and mk.value == 1 and mk.style not in open_styles:
            # a lone "1.5万人" line is a number only when a 2. of its style follows
            ok = any(c.style == mk.style and c.value == 2 for c in candidates[k + 1:])
        if not ok:
            continue
        if mk.value not in due:
            gaps.append(f"{_printed(mk.style, prev)}→{mk.printed}")
        if mk.style in open_styles:
            del stack[open_styles.index(mk.style):]
        stack.append((mk.style, mk.value, mk.inline, mk.line))
        last_of[mk.style] = mk.value
        accepted.append(mk)
        depths.append(len(stack) - 1)
    return Sequenced(accepted, depths, gaps)


def _printed(style: str, value: int) -> str:
    if value == 0:
        return "(start)"
    return f"{style}#{value}"
