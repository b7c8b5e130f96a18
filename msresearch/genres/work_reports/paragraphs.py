"""A work report's paragraphs and its headings, in whatever style it announces them.

A paragraph is a line of the clean text, less what is not the report's own text: the
collection's header (a YAML block between two ``---`` lines at the top) and HTML comments
(``<!-- 省长作报告。 -->``, a photo's caption). Markdown stays in the clean text; a paragraph's
``text`` is read without it. A heading is a paragraph that announces a part of the report: a
Chinese number and 、 (一、), a markdown heading (## …), a short paragraph in bold, or a short
paragraph with no sentence in it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from msresearch.genres.lists.lines import split_lines

HEADER = re.compile(r"\A---\n(?:.*\n)*?---\n")
COMMENT = re.compile(r"<!--.*?-->")
MARKUP = re.compile(r"\*\*|^#+\s*|^>\s*")
TOP_NUMBER = re.compile(r"^(?:第)?(?P<n>[一二三四五六七八九十]{1,3})(?:、|部分[：:、]?\s*)")
SUB_NUMBER = re.compile(r"^(?:[（(][一二三四五六七八九十]{1,3}[）)]|第[一二三四五六七八九十]{1,3}[，,、]"
                        r"|[一二三四五六七八九十]{1,3}是)")
SENTENCE_MARK = re.compile(r"[。；！？]")
MAX_HEADING = 40  # characters: a line longer than this is a paragraph, whatever its style


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of a report: where it lies in the clean text, its text without markup,
    how it is set (``style``: numbered, markdown, bold, plain or prose) and, for a heading, its
    number's depth (1 for 一、, 2 for （一）); ``lead`` is the bold opening of a paragraph that
    has one ("**（一）稳增长。**…"), which heads it."""

    index: int
    start: int
    end: int
    text: str
    style: str
    depth: int
    lead: str

    @property
    def heading(self) -> bool:
        return self.style != "prose"


def body_start(text: str) -> int:
    """Where the report begins: after the collection's header, if the text has one."""
    m = HEADER.match(text)
    return m.end() if m else 0


def paragraphs(text: str) -> list[Paragraph]:
    """The report's paragraphs in order, with their styles and depths."""
    out = []
    start = body_start(text)
    for line in split_lines(text):
        if line.end <= start:
            continue
        raw = COMMENT.sub("", line.text)
        plain = MARKUP.sub("", raw).strip(" \t\u3000")
        if not plain:
            continue
        style, depth, lead = _style(raw.strip(), plain)
        out.append(Paragraph(len(out), line.start, line.end, plain, style, depth, lead))
    return out


def _style(raw: str, plain: str) -> tuple[str, int, str]:
    lead = ""
    bold = re.match(r"^\*\*(.+?)\*\*", raw)
    if bold and len(bold.group(1)) < len(plain):
        lead = bold.group(1).strip()
    depth = 1 if TOP_NUMBER.match(plain) else 2 if SUB_NUMBER.match(plain) or SUB_NUMBER.match(lead) else 0
    if len(plain) > MAX_HEADING and not (raw.startswith("#") and len(plain) <= 2 * MAX_HEADING):
        return "prose", depth, lead
    if raw.startswith("#"):
        return "markdown", depth or 1, lead
    if depth:
        return "numbered", depth, lead
    if bold and not lead:
        return "bold", 0, ""
    if not SENTENCE_MARK.search(plain.rstrip("。！")) and not plain.endswith(("；", "，", "：", ":")):
        return "plain", 0, ""
    return "prose", 0, lead
