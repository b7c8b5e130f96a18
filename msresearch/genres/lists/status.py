"""Project statuses of a livelihood-projects notice: the body's lists of new, improved,
exited and continued projects, matched to the annex rows they name.

Reads, for example::

    一、新增3项民生工程
    （一）农村改厕及废弃物资源化利用。…
    三、调整和退出3项民生工程
    农村环境“三大革命”不再单列。…秸秆综合利用工程机制已健全，退出民生工程。
    四、继续实施25项民生工程
    继续实施城乡居民基本医疗保险、…等25项民生工程。
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from msresearch.genres.lists.declared import IN_HEADING
from msresearch.genres.lists.lines import norm
from msresearch.genres.lists.records import Item

STATUS_HEADINGS = (  # the order matters: "调整和退出" is an exit, not an adjustment to keep
    ("exited", re.compile(r"^(?:调整和|调整)?退出|^调整")),
    ("new", re.compile(r"^新增")),
    ("improved", re.compile(r"^完善|^提升|^扩面")),
    ("continued", re.compile(r"^继续")),
)
ORDER = ("new", "improved", "exited", "continued")


def status_of(heading: str) -> str | None:
    """The status a heading lists projects under ("新增3项民生工程" → "new"), or None."""
    if not IN_HEADING.search(heading):
        return None
    return next((status for status, pattern in STATUS_HEADINGS if pattern.search(heading)), None)


def names_in_prose(prose: str, status: str) -> list[str]:
    """Project names in a status section written as prose rather than as numbered items."""
    prose = re.sub(r"（[^（）]*）", "", prose)
    if status == "exited":
        names = []
        for sentence in filter(None, re.split(r"[。；]", prose)):
            clauses = [c for c in re.split(r"[，,]", sentence) if c]
            marked = next((c for c in clauses if re.search(r"不再单列|退出|取消", c)), "")
            name = re.sub(r"(不再单列|退出民生工程|退出|取消).*$", "", marked).strip()
            if not name:
                name = re.split(r"机制|已|纳入|转为|不再", clauses[0])[0].strip()
            if name:
                names.append(name)
        return names
    prose = re.sub(r"^(继续实施|继续|实施)", "", prose.strip())
    prose = re.split(r"等?\d+项", prose)[0]
    return [p.strip() for p in re.split(r"[、，]", prose) if p.strip()]


def match(name: str, items: list[Item]) -> int | None:
    """Index of the item a listed project name refers to: same name, one name containing the
    other, a sub-project of the same name, or failing that the closest name (ratio ≥ 0.6)."""
    key = norm(name)
    titles = [norm(it.title) for it in items]
    for i, t in enumerate(titles):
        if t == key:
            return i
    for i, t in enumerate(titles):
        if t and key and (t in key or key in t):
            return i
    for i, it in enumerate(items):
        if any(norm(s) and (norm(s) in key or key in norm(s)) for s in it.subitems):
            return i
    ratios = [SequenceMatcher(None, key, t).ratio() for t in titles]
    if ratios and max(ratios) >= 0.6:
        return ratios.index(max(ratios))
    return None
