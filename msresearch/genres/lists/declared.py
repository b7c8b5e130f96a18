"""Counts a document declares for itself, in every common form, as numbers.

Reads, in the title or the text before the first item (references in 《》 left out)::

    关于2020年实施33项民生工程的通知        办好十件民生实事：一是…
    2021年十大为民办实事项目              民生实事项目共12项

and in a heading, the items under it: ``一、就业促进（3项）``, ``一、新增3项民生工程``.
Chinese numerals are read with cn2an (``msresearch.genres.lists.numbering.numeral``).
"""

from __future__ import annotations

import re

from msresearch.genres.lists.numbering import CN, numeral

# a count is a whole number: not the tail of a longer one ("不低于19728件" declares nothing)
NUMBER = rf"(?P<n>(?<![\d.．])\d{{1,3}}|(?<![{CN}])[{CN}]{{1,4}})"
KIND = (r"(?:民生实事项目|民生实事|民生工程|为民办实事项目|为民办实事|为民实事|惠民实事|实事项目|"
        r"民生项目|民生事项|惠民工程|民生实事工程|实事)")
TOTAL = (
    re.compile(rf"{NUMBER}\s*(?:项|件|个|大|方面|类)(?:重点|重大|市级|省级|县级|年度)?{KIND}"),
    re.compile(rf"{KIND}(?:项目)?(?:共|计|合计|总计)\s*{NUMBER}\s*(?:项|件|个)"),
)
IN_HEADING = re.compile(rf"{NUMBER}\s*(?:项|件)")
# a quantity to reach ("办理案件不低于754件", "800件以上") is a target, not a count of items
TARGET_BEFORE = re.compile(r"(?:不低于|不少于|不超过|不高于|超过|达到|高于|低于|多于|至少|累计|逾|近|约)\s*$")
TARGET_AFTER = re.compile(r"^\s*(?:以上|以下|左右|之多)")
QUOTED = re.compile(r"《[^》]*》")


def declared_total(text: str) -> int | None:
    """The number of items a passage says the document holds, or None."""
    text = QUOTED.sub("", text)
    found = [m for pattern in TOTAL for m in pattern.finditer(text)]
    for m in sorted(found, key=lambda m: m.start()):
        value = numeral(m.group("n"))
        if value:
            return value
    return None


def declared_in_heading(title: str) -> int | None:
    """The count a heading declares for the items under it ("就业促进（3项）"), or None; a
    quantity to reach ("不低于754件", "800件以上") declares nothing."""
    title = QUOTED.sub("", title)
    for m in IN_HEADING.finditer(title):
        if not (TARGET_BEFORE.search(title[:m.start()]) or TARGET_AFTER.match(title[m.end():])):
            return numeral(m.group("n"))
    return None
