"""Responsible units of an item: lead and partner units in every common printed form.

Reads, for example::

    …（牵头单位：市人社局；责任单位：市财政局、各县（市、区）人民政府）
    …。牵头责任单位：省人社厅；协同配合责任单位：省民政厅、省财政厅
    …（市教育局负责）      …（市民政局牵头，市财政局配合）

A label names its role: 牵头 / 主责 / 主办 → lead; 协同 / 配合 / 共同 / 参与 / 协办 / 协助 →
partner; a bare 责任单位 / 负责单位 / 实施单位 is the lead when no lead is named, else a
partner. Leaders' names (牵头市领导：…) are persons, not units, and are skipped. Labels never
reach the unit lists, and a comma inside brackets ("各县（市、区）") does not split a unit.
"""

from __future__ import annotations

import re
from functools import lru_cache

ROLE_WORDS = r"牵头|协同|配合|共同|参与|协办|协助|协作|主责|主办|责任|负责|实施|落实|承办|主管"
LABEL = re.compile(
    rf"(?P<key>(?:主要|其他|相关)?(?:{ROLE_WORDS})[\u4e00-\u9fff]{{0,6}}?(?:单位|部门)|(?:牵头|责任|分管)[市省县区]?(?:领导|负责人))"
    r"\s*[：:]\s*"
)
PARTNER_WORDS = ("协同", "配合", "共同", "参与", "协办", "协助", "协作")
LEAD_WORDS = ("牵头", "主责", "主办")
# "（市教育局负责）", "（市民政局牵头，市财政局配合）"
RESPONSIBLE = re.compile(
    r"[（(](?P<lead>[^（）()。：:]{2,80}?)(?:牵头负责|负责实施|负责|牵头)"
    r"(?:[，,；;、]\s*(?P<partners>[^（）()。：:]{2,80}?)(?:配合|参与|协助|协同|协办))?[）)]"
)
ORG = re.compile(r"(?:局|委|办|厅|院|会|部|署|中心|政府|公司|集团|所|站|队|处|社|团|联|司|行|馆|校|园|"
                 r"街道|乡镇|镇|乡|各县|各区|县区|区县|管委会|机关|中心组)(?:（[^（）]*）)?$")
SPLIT = "、，,；;/"
STOP = "。\n"


def _value_end(text: str, start: int, limit: int) -> int:
    """Where a unit list that starts at ``start`` ends: a closing bracket of the outer level,
    a full stop or line end, or ``limit`` (the next label)."""
    depth = 0
    for i in range(start, limit):
        ch = text[i]
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            if depth == 0:
                return i
            depth -= 1
        elif ch in STOP and depth == 0:
            return i
    return limit


def split_units(text: str) -> tuple[str, ...]:
    """"市民政局、市医保局等" → ("市民政局", "市医保局"); separators inside brackets do not split."""
    parts, depth, current = [], 0, []
    for ch in text:
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            depth = max(0, depth - 1)
        if ch in SPLIT and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    out = []
    for part in parts:
        part = part.strip(" \t　").removesuffix("等").strip(" \t　")
        part = re.sub(r"^(?:和|及|以及)", "", part)
        if part and part not in out:
            out.append(part)
    return tuple(out)


def _role(key: str) -> str:
    if "领导" in key or "负责人" in key:
        return "person"
    if any(w in key for w in PARTNER_WORDS):
        return "partner"
    if any(w in key for w in LEAD_WORDS):
        return "lead"
    return "neutral"


def labelled_units(text: str) -> list[tuple[str, tuple[str, ...], int, int]]:
    """Every "label：units" in a text as (role, units, start, end), in reading order."""
    labels = list(LABEL.finditer(text))
    out = []
    for k, m in enumerate(labels):
        limit = labels[k + 1].start() if k + 1 < len(labels) else len(text)
        end = _value_end(text, m.end(), limit)
        value = text[m.end():end].rstrip("，,；;、 ")
        out.append((_role(m.group("key")), split_units(value), m.start(), end))
    return out


def lead_units(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Lead and partner units named in an item's text (see the module docstring)."""
    found = [(role, units) for role, units, _, _ in labelled_units(text) if role != "person"]
    lead: list[str] = []
    partners: list[str] = []
    if found:
        has_lead = any(role == "lead" for role, _ in found)
        for role, units in found:
            target = lead if role == "lead" or (role == "neutral" and not has_lead) else partners
            target.extend(u for u in units if u not in target)
    else:
        for m in RESPONSIBLE.finditer(text):
            units = split_units(m.group("lead"))
            if names_units(m.group("lead")):
                lead.extend(u for u in units if u not in lead)
                partners.extend(u for u in split_units(m.group("partners") or "") if u not in partners)
    return tuple(lead), tuple(p for p in partners if p not in lead)


def names_units(text: str) -> bool:
    """Whether a short text (a table cell, a bracket) is a list of organisations: every part
    ends with an organisation's suffix (局, 委, 厅, 政府, 街道 …)."""
    text = text.strip()
    if not text or len(text) > 60 or re.search(r"[。；;：:\d]", text):
        return False
    units = split_units(text)
    return bool(units) and all(len(u) <= 25 and ORG.search(u) for u in units)


def has_units(text: str) -> bool:
    """Whether a text names responsible units in any of the forms above."""
    return any(role != "person" for role, _, _, _ in labelled_units(text)) or any(
        names_units(m.group("lead")) for m in RESPONSIBLE.finditer(text))


def unit_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the text's unit statements: bracketed groups that hold a unit label
    (brackets included) and unbracketed "label：units" runs, merged, in order."""
    spans = sorted([(s, e) for _, _, s, e in labelled_units(text)]
                   + [m.span() for m in RESPONSIBLE.finditer(text)])
    merged: list[list[int]] = []
    for s, e in spans:  # a run of labels ("牵头单位：…；责任单位：…") is one statement
        if merged and s <= merged[-1][1] + 1 and not text[merged[-1][1]:s].strip("；;，, "):
            merged[-1][1] = max(merged[-1][1], e)
        elif not merged or s >= merged[-1][1]:
            merged.append([s, e])
    out = []
    for s, e in merged:
        # take the brackets around a bracketed statement
        if s > 0 and text[s - 1] in "（(" and e < len(text) and text[e] in "）)":
            s, e = s - 1, e + 1
        out.append((s, e))
    return out


@lru_cache(maxsize=1 << 16)
def strip_units(text: str) -> str:
    """The text without its unit statements (an agency's name is not an item's subject):
    bracketed groups that hold a unit label, and unbracketed "label：units" runs. Memoised:
    the coder asks it of each sentence several times."""
    spans = unit_spans(text)
    if not spans:
        return text
    out, pos = [], 0
    for s, e in spans:
        out.append(text[pos:s])
        pos = e
    out.append(text[pos:])
    return "".join(out)
