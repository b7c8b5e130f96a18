"""Lines of clean text with their offsets: the unit every recogniser reads."""

from __future__ import annotations

import re
from dataclasses import dataclass

from msresearch.read.clean import HAN


@dataclass(frozen=True)
class Line:
    """One line of clean text and its offsets in the whole text."""

    start: int
    end: int
    text: str


def split_lines(text: str) -> list[Line]:
    """The lines of a text, each with its start and end offsets (the newline excluded)."""
    lines, pos = [], 0
    for raw in text.split("\n"):
        lines.append(Line(pos, pos + len(raw), raw))
        pos += len(raw) + 1
    return lines


def norm(name: str) -> str:
    """A project or task name reduced to its Chinese characters, letters and digits."""
    return "".join(re.findall(rf"{HAN}|[A-Za-z0-9]", name))
