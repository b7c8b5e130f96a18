"""A work report's sections: every paragraph is ``front``, ``review``, ``outlook``, ``plan``,
``self_building`` or ``closing`` (the codebook spec, Part 2).

The report's top-level parts are found first: its headings of the first depth (一、 二、 …, in
sequence), or else its markdown or bold headings. Each part is named by its heading (回顾 →
review, 今后五年 / “十四五” → outlook, the report's year, 今年, 工作安排 → plan, 政府自身建设 →
self_building), or, for a heading that names none (a slogan), by what its first paragraphs
say (过去一年 …, 今后五年 …, 今年 …). Inside a part:

* a part whose heading names both a five-year period and the year ("“十四五”主要目标及2021年
  工作安排") is outlook until the first paragraph about the year, plan after it; a plan part
  that opens with the next five years (未来五年 …) is outlook until the year's work begins;
* a numbered task about the government's own conduct ("（九）全面加强政府自身建设") is
  self_building, until the next task that is not;
* after the plan, each passage opened by the address "各位代表！" is self_building when it is
  about the government's own conduct, plan otherwise (the State Council's defence, Hong Kong
  and foreign affairs); the last address and what follows it are the closing, but for an
  annex that lists this year's practical matters (plan).

Before the first part is the front. Where a report has no headings at all, the parts are
found from the paragraphs alone, by the same words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from msresearch.genres.work_reports.paragraphs import TOP_NUMBER, Paragraph

SECTIONS = ("front", "review", "outlook", "plan", "self_building", "closing")
ADDRESS = re.compile(r"^各位代表[！!，,：:]?")
CLOSING_SHARE = 0.7  # the closing address stands in the report's last part
BODY_PARAGRAPHS = 3  # paragraphs of a part read for what it is about, when its heading says not
# what follows the closing: annexes, a glossary of the report's terms, notes
END_MATTER = re.compile(r"^(?:附件|附表|附录)"
                        r"|^(?:《?政府工作报告》?)?(?:名词|词语|术语|特定词语)(?:解释|注释|说明)"
                        r"|^(?:注释|注解|说明|注)[：:]?$")
TARGET_START = re.compile(r"主要(?:预期|奋斗|发展)?目标(?:建议)?(?:是|为|：|:)|预期目标(?:是|为|：|:)"
                          r"|预期目标作了(?:适当)?调整")
TARGET_LIST = re.compile(r"^(?:——|－|-|[（(]\d+[）)]|\d+[.、．]|[①-⑳])")
SELF = re.compile(r"政府自身建设|自身建设|政府(?:的)?建设|政府治理|治理能力和水平|人民满意的(?:服务型)?政府"
                  r"|服务型政府|法治政府|廉洁政府|政府职能|加强政府|提升政府|政府工作(?:要|必须|务必|提出)"
                  r"|对政府工作|履职尽责|作风建设|勤政|廉政")
SELF_HEADING = re.compile(r"政府自身建设|自身建设|政府(?:的)?建设|政府治理|人民满意的(?:服务型)?政府"
                          r"|服务型政府|法治政府|廉洁政府|(?:更好)?发挥政府作用"
                          r"|政府[^，。、]{0,4}(?:效能|能力|水平|作风|职能)|施政|履职能力")


@dataclass(frozen=True)
class Cues:
    """The words that name each section, for a report of ``year``."""

    review: re.Pattern
    outlook: re.Pattern
    plan: re.Pattern
    review_body: re.Pattern
    outlook_body: re.Pattern
    plan_body: re.Pattern


def cues(year: int) -> Cues:
    before = year - 1
    return Cues(
        review=re.compile(rf"回顾|过去(?:的)?(?:一|五)年|一年来|五年来|本届(?:政府|以来)|工作总结"
                          rf"|{before}年(?:的)?(?:工作|主要工作)(?!安排)|{before}年和"),
        outlook=re.compile(r"今后五年|未来五年|十[三四五]五|五年(?:的)?(?:目标|任务|发展|工作|规划)"
                           r"|远景目标|二〇三五|2035|新的五年"),
        plan=re.compile(rf"{year}年|今年|本年度|开局之年|工作安排|重点工作|主要工作|工作任务|目标任务"
                        r"|总体要求|政策取向|总体部署|政府工作的建议|各项工作"),
        review_body=re.compile(rf"过去一年|过去五年|过去的一年|一年来|五年来|{before}年(?:，|是|我们)"
                               r"|本届政府|回顾"),
        outlook_body=re.compile(r"^(?:今后|未来)五年|“十[四五]五”时期|十[四五]五时期|今后五年|未来五年"),
        plan_body=re.compile(rf"今年|{year}年(?:是|，|的|要|我们)|主要预期目标|预期目标"),
    )


# The first year of each five-year plan: a heading about a plan's start ("“十四五”实现良好开局",
# "以高质量发展为“十四五”开好局") speaks of this year in that year, of the past after it.
FIVE_YEAR_PLANS = {"十三五": 2016, "十四五": 2021, "十五五": 2026}
PLAN_START = re.compile(r"(十[三四五]五)[”\"]?[^，。]{0,10}(?:开局|开好局|起步)"
                        r"|(?:开局|开好局|起步)[^，。]{0,6}(十[三四五]五)")


def _heading_section(text: str, c: Cues, year: int = 0) -> str | None:
    """What a part's heading names, or None for a heading that names no section."""
    if c.review.search(text):
        return "review"
    start = PLAN_START.search(text)
    if start and year:
        first = FIVE_YEAR_PLANS[start.group(1) or start.group(2)]
        return "plan" if year == first else "review" if year > first else "outlook"
    if SELF_HEADING.search(text):
        return "self_building"
    outlook, plan = bool(c.outlook.search(text)), bool(c.plan.search(text))
    if outlook and plan:
        return "outlook_plan"
    if outlook:
        return "outlook"
    if plan:
        return "plan"
    return None


def _body_section(paras: list[Paragraph], c: Cues) -> str | None:
    """What time a part's first paragraphs speak of (the past year or years, the next five,
    this year), when its heading does not say; None when they do not say either."""
    text = "".join(p.text for p in paras[:BODY_PARAGRAPHS])
    found = [(m.start(), name) for name, pattern in (("review", c.review_body),
                                                     ("outlook", c.outlook_body),
                                                     ("plan", c.plan_body))
             for m in [pattern.search(text)] if m]
    return min(found)[1] if found else None


def top_level(paras: list[Paragraph], c: Cues, year: int = 0) -> list[int]:
    """The indexes of the report's top-level headings. Of the heading styles it uses after
    its opening address ("各位代表："), the one it uses first is the outermost: its numbered
    headings (一、 二、 …, in sequence, never starting again at 一), its markdown or bold
    ones, or the unnumbered lines (bold or plain) that name a section ("2017年工作安排",
    "政府自身建设"). A report whose parts are announced by such lines may number its tasks
    一、 二、 inside each of them, starting again in every part."""
    from msresearch.genres.lists.numbering import numeral

    opening = next((p.index for p in paras if ADDRESS.match(p.text)), -1)
    end = next((p.index for p in paras if p.index > opening and END_MATTER.match(p.text)),
               len(paras))
    after = paras[opening + 1:end]  # the body: an annex numbers its own list
    styles: dict[str, list[int]] = {}
    expected, restarted = 1, False
    for p in after:
        if p.depth == 1 and p.heading and (m := TOP_NUMBER.match(p.text)):
            value = numeral(m["n"])
            if value == expected:
                styles.setdefault("numbered", []).append(p.index)
                expected += 1
            elif value == 1:
                restarted = True
            continue
        if p.style in ("markdown", "bold"):
            styles.setdefault(p.style, []).append(p.index)
        if p.style in ("bold", "plain") and not ADDRESS.match(p.text) \
                and _heading_section(p.text, c, year):
            styles.setdefault("named", []).append(p.index)
    if restarted:
        styles.pop("numbered", None)
    found = [heads for heads in styles.values() if len(heads) >= 2]
    return min(found, key=lambda heads: (heads[0], -len(heads))) if found else []


@dataclass(frozen=True)
class Sections:
    """Each paragraph's section, the sections found in order with how each was first
    announced, and the paragraphs of the main expected targets."""

    of: list[str]
    found: list[tuple[str, str]]  # (section, how: the heading's text, or "paragraph: …")
    targets: list[int]


def sections(paras: list[Paragraph], year: int) -> Sections:
    """See the module docstring."""
    c = cues(year)
    n = len(paras)
    of = ["front"] * n
    how: dict[int, str] = {}
    heads = top_level(paras, c, year)
    starts = heads + [n]
    previous = None
    for h, end in zip(heads, starts[1:], strict=False):
        label = _heading_section(paras[h].text, c, year)
        told = f"heading: {paras[h].text}"
        if label is None:
            label = _body_section(paras[h + 1:end], c)
            told = f"{told} (by its paragraphs)"
            if previous == "plan" and label != "review":
                label = "plan"  # one more of the year's tasks (the State Council's 三、…八、)
        if label is None:
            label = previous or "review"
        if label == "outlook_plan":
            _outlook_then_plan(paras, h, end, of, how, c, told)
        else:
            for k in range(h, end):
                of[k] = label
            how[h] = told
            if label == "plan":
                _inside_plan(paras, h, end, of, how, c)
        previous = of[end - 1]
    if not heads:
        _without_headings(paras, of, how, c)
    part = [""] * n  # each paragraph's top-level part, as its heading named it
    for h, end in zip(heads, starts[1:], strict=False):
        for k in range(h, end):
            part[k] = of[h]
    _tail(paras, of, how, year, heads, part)
    found = []
    for k in range(n):
        if not found or found[-1][0] != of[k]:
            found.append((of[k], how.get(k, f"paragraph: {paras[k].text[:30]}")))
    return Sections(of, found, _targets(paras, of, c))


def _outlook_then_plan(paras, h, end, of, how, c, told) -> None:
    section = "outlook"
    how[h] = told
    for k in range(h, end):
        if section == "outlook" and k > h and c.plan_body.search(paras[k].text[:60]):
            section = "plan"
            how[k] = f"paragraph: {paras[k].text[:30]}"
        of[k] = section
    if section == "plan":
        _inside_plan(paras, h, end, of, how, c)


def _inside_plan(paras, h, end, of, how, c) -> None:
    """A plan part: outlook paragraphs at its opening, self-building tasks inside it."""
    k = h + 1
    while k < end and c.outlook_body.search(paras[k].text) and not c.plan_body.search(paras[k].text):
        of[k] = "outlook"
        how[k] = f"paragraph: {paras[k].text[:30]}"
        k += 1
    if k > h + 1 and k < end:
        how[k] = f"paragraph: {paras[k].text[:30]}"
    inside_self = False
    for j in range(k, end):
        p = paras[j]
        if of[j] != "plan":
            continue
        if p.depth or p.heading:
            head = p.lead or p.text[:MAX_TASK_HEAD]
            inside_self = bool(SELF_HEADING.search(head))
            if inside_self:
                how[j] = f"task: {head}"
        if inside_self:
            of[j] = "self_building"


MAX_TASK_HEAD = 30  # a task's opening words, read for what it is about


def _without_headings(paras, of, how, c) -> None:
    """A report with no headings: its parts found from the paragraphs alone."""
    section = "front"
    for k, p in enumerate(paras):
        if section == "front" and c.review_body.search(p.text[:40]):
            section, how[k] = "review", f"paragraph: {p.text[:30]}"
        elif section in ("front", "review") and c.plan_body.search(p.text[:40]):
            section, how[k] = "plan", f"paragraph: {p.text[:30]}"
        of[k] = section


def _tail(paras, of, how, year, heads, part) -> None:
    """The passages opened by "各位代表" after the plan, the closing and the end matter. A
    passage runs to the next address or top-level heading; one inside a top-level
    self-building part stays in it."""
    n = len(paras)
    first_plan = next((k for k in range(n) if of[k] == "plan"), n)
    end = next((k for k in range(first_plan, n) if END_MATTER.match(paras[k].text)), n)
    chars = paras[end - 1].end - paras[0].start if end else 0
    addresses = [k for k in range(first_plan + 1, end) if ADDRESS.match(paras[k].text)
                 and paras[k].start - paras[0].start >= CLOSING_SHARE * chars]
    if not addresses:
        return
    closing = addresses[-1]
    for a, b in zip(addresses, addresses[1:] + [closing], strict=True):
        if a >= closing or of[a] not in ("plan", "self_building") or part[a] == "self_building":
            continue
        b = min([b] + [h for h in heads if h > a])
        text = "".join(paras[k].text for k in range(a, min(b, a + BODY_PARAGRAPHS)))
        label = "self_building" if SELF.search(text) else "plan"
        for k in range(a, b):
            of[k] = label
        how[a] = f"address: {paras[a].text[:30]}"
    for k in range(closing, end):
        of[k] = "closing"
    how.setdefault(closing, f"address: {paras[closing].text[:30]}")
    annex = "closing"
    for k in range(end, n):
        if END_MATTER.match(paras[k].text):
            text = "".join(p.text for p in paras[k:k + BODY_PARAGRAPHS + 1])
            annex = "plan" if re.search(rf"实事|{year}年|今年", text) else "closing"
            how[k] = f"end matter: {paras[k].text[:30]}"
        of[k] = annex


def _targets(paras, of, c) -> list[int]:
    """The paragraphs of the plan's main expected targets: the first plan paragraph that
    announces them, and the list lines right after it."""
    for k, p in enumerate(paras):
        if of[k] == "plan" and TARGET_START.search(p.text):
            out = [k]
            j = k + 1
            while j < len(paras) and of[j] == "plan" and TARGET_LIST.match(paras[j].text) \
                    and re.search(r"\d", paras[j].text):
                out.append(j)
                j += 1
            return out
    return []
