"""Cleaning: an ordered list of small named rules that turn decoded text into clean text.

Each rule is a pure function ``str -> str``; ``clean`` applies them in order and logs, for
every rule, how often it fired and one example, so that every change to the raw text is
visible (``cleaning_log.csv``). Item offsets refer to the cleaned text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_PUNCT = r"\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\u2018-\u201d\u2026\u2014"
HAN = f"[{CJK}]"

# Lines that a web page or a saved PDF puts around the text; each pattern is a whole line.
FURNITURE = [
    r"访问(?:次数|量)\s*[:：].*",  # visit counters (often with source and posting time)
    r"信息来源\s*[:：].*",
    r"发布时间\s*[:：].*",
    r"\[\s*字体\s*[:：]?.*\]",  # font-size controls
    r"【?\s*字号\s*[:：]?.*(?:大|中|小).*】?",
    r"扫一扫在手机(?:上)?打开当前页",
    r"\d+\s*条评论",
    r"\*?\s*正文\s*[:：]",
    r"验证码\s*[:：].*",
    r"网友评论列表",
    r"暂无(?:网友)?评论",
    r"(?:打印|关闭)(?:本页|窗口)?(?:\s+(?:打印|关闭)(?:本页|窗口)?)*",
    r"(?:分享到|分享)\s*[:：].*",
    r"(?:网站首页|首页)\s*[>＞»].*",  # breadcrumb
    # index-number header block of government disclosure pages (信息公开目录)
    r"索引号\s*[:：].*",
    r"组配分类\s*[:：].*",
    r"发布机构\s*[:：].*",
    r"名\s*称\s*[:：].*",
    r"文\s*号\s*[:：].*",
    r"生成日期\s*[:：].*",
    r"有效性\s*[:：].*",
    r"主题分类\s*[:：].*",
]
FURNITURE_LINE = re.compile(rf"^[ \t\u3000\u2003\xa0]*(?:{'|'.join(FURNITURE)})[ \t\u3000\u2003\xa0]*$",
                            re.M)
LINE_SPACES = re.compile(r"^[ \u3000\u2002\u2003\xa0]+|[ \u3000\u2002\u2003\xa0]+$", re.M)
INNER_SPACES = re.compile(
    rf"(?<=[{CJK}{CJK_PUNCT}])[ \u3000\u2002\u2003\xa0]+(?=[{CJK}{CJK_PUNCT}0-9])"
    rf"|(?<=[0-9%])[ \u3000\u2002\u2003\xa0]+(?=[{CJK}{CJK_PUNCT}])"
)
HALF_TO_FULL = {",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "?": "？", "!": "！"}
# A half-width mark counts as inside Chinese text when a Chinese character or Chinese
# punctuation is next to it (on either side for brackets, before it for , : ; ? !).
HALF_PUNCT = re.compile(
    rf"(?<=[{CJK}{CJK_PUNCT}）)%])[,:;?!]|[,:;?!](?=[{CJK}{CJK_PUNCT}])"
    rf"|(?<=[{CJK}{CJK_PUNCT}）])\(|\((?=[{CJK}])|^\((?=[0-9A-Za-z]+\))"
    rf"|(?<=[{CJK}{CJK_PUNCT}0-9A-Za-z%])\)(?=[{CJK}{CJK_PUNCT}（\n]|$)"
    rf"|(?<=[{CJK}])\)",
    re.M,
)
NUMBER_START = re.compile(
    r"^(?:[一二三四五六七八九十百]+、|（[一二三四五六七八九十百]+）|\d+[.．、](?!\d)|（\d+）|[①-⑳])"
)


@dataclass(frozen=True)
class Rule:
    """A named cleaning step: what it does, in words, and the function that does it."""

    name: str
    description: str
    apply: Callable[[str], str]


@dataclass(frozen=True)
class LogEntry:
    """How often one rule changed one document, with the first change as an example."""

    step: int
    rule: str
    n_changes: int
    example: str


def drop_page_furniture(text: str) -> str:
    """Remove whole lines of web furniture: counters, font controls, comment boxes,
    breadcrumbs and the index-number header block of disclosure pages."""
    return FURNITURE_LINE.sub("", text)


def strip_line_spaces(text: str) -> str:
    """Remove indentation and trailing blanks, ideographic (U+3000) and em spaces included."""
    return LINE_SPACES.sub("", text)


@cache
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def in_traditional_script(text: str, threshold: float = 0.02) -> bool:
    """Whether a text is written in traditional characters: more than ``threshold`` of its
    Chinese characters change under OpenCC's traditional→simplified conversion."""
    han = re.findall(HAN, text)
    if not han:
        return False
    sample = "".join(han)
    converted = _t2s().convert(sample)
    changed = sum(a != b for a, b in zip(sample, converted, strict=False))
    return changed / len(han) > threshold


def to_simplified(text: str) -> str:
    """Convert a document in traditional script to simplified characters (OpenCC t2s);
    a document already in simplified script is left as it is."""
    return _t2s().convert(text) if in_traditional_script(text) else text


def remove_spaces_in_chinese(text: str) -> str:
    """Remove spaces that PDF extraction put between Chinese characters and digits
    ("33 项 民生工程" → "33项民生工程", "技能培 训" → "技能培训"); tabs (table cells) stay."""
    return INNER_SPACES.sub("", text)


def fullwidth_punctuation(text: str) -> str:
    """Use full-width punctuation inside Chinese text (, : ; ( ) → ， ： ； （ ）); marks between
    digits or Latin letters ("1,000", "9:40") are left alone."""
    return HALF_PUNCT.sub(lambda m: HALF_TO_FULL[m.group(0)], text)


PINYIN = re.compile(rf"(?<=[{CJK}])[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńň]{{1,8}}[)）]")


def drop_pinyin_annotations(text: str) -> str:
    """Remove pinyin that some mirror sites insert after characters ("區(qū)" → "區"): a
    bracketed run of lowercase Latin letters with tone marks right after a Chinese character."""
    return PINYIN.sub("", text)


def drop_blank_lines(text: str) -> str:
    """One paragraph per line: remove empty lines, end with a single newline."""
    lines = [line for line in text.split("\n") if line.strip()]
    return "\n".join(lines) + "\n" if lines else ""


def join_broken_lines(text: str) -> str:
    """Join a paragraph that PDF extraction broke across lines: a line that already holds a
    sentence (it has a full-width comma or full stop), stops on a Chinese character, and is
    followed by a line that starts with a Chinese character and no numbering. Table rows
    (lines with tabs) are never joined."""
    lines = text.split("\n")
    out: list[str] = []
    for line in lines:
        if (out and line and "\t" not in line and "\t" not in out[-1]
                and re.search(f"{HAN}$", out[-1]) and re.search("[，。]", out[-1])
                and re.match(HAN, line) and not NUMBER_START.match(line)):
            out[-1] += line
        else:
            out.append(line)
    return "\n".join(out)


RULES: tuple[Rule, ...] = (
    Rule("drop_page_furniture", "web furniture lines removed", drop_page_furniture),
    Rule("strip_line_spaces", "indentation and trailing spaces removed", strip_line_spaces),
    Rule("drop_pinyin_annotations", "pinyin inserted after characters removed",
         drop_pinyin_annotations),
    Rule("to_simplified", "traditional characters converted to simplified", to_simplified),
    Rule("fullwidth_punctuation", "half-width punctuation in Chinese text made full-width",
         fullwidth_punctuation),
    Rule("remove_spaces_in_chinese", "spaces between Chinese characters and digits removed",
         remove_spaces_in_chinese),
    Rule("drop_blank_lines", "empty lines removed", drop_blank_lines),
    Rule("join_broken_lines", "paragraphs broken across lines joined", join_broken_lines),
)


def _show(text: str) -> str:
    return text.replace("\n", "⏎").replace("\t", "⇥")[:80]


def _diff(before: str, after: str) -> tuple[int, str]:
    """Count the changed places between two texts and show the first one briefly.

    Lines are compared first and characters only inside changed blocks of lines, which keeps
    this fast on long documents."""
    from difflib import SequenceMatcher

    if before == after:
        return 0, ""
    old_lines, new_lines = before.split("\n"), after.split("\n")
    count, example = 0, ""
    blocks = SequenceMatcher(None, old_lines, new_lines, autojunk=False).get_opcodes()
    for tag, i1, i2, j1, j2 in blocks:
        if tag == "equal":
            continue
        old, new = "\n".join(old_lines[i1:i2]), "\n".join(new_lines[j1:j2])
        if i1 == i2 or j1 == j2:  # whole lines added or removed
            old, new = "\n".join(old_lines[max(0, i1 - 1):i2 + 1]), "\n".join(
                new_lines[max(0, j1 - 1):j2 + 1])
        chars = [op for op in SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
                 if op[0] != "equal"]
        count += len(chars)
        if not example and chars:
            _, a1, a2, b1, b2 = chars[0]
            example = f"{_show(old[max(0, a1 - 6):a2 + 6])} → {_show(new[max(0, b1 - 6):b2 + 6])}"
    return count, example


def clean(text: str, rules: tuple[Rule, ...] = RULES) -> tuple[str, list[LogEntry]]:
    """Apply the rules in order; return the clean text and one log entry per rule."""
    log = []
    for step, rule in enumerate(rules, start=1):
        after = rule.apply(text)
        n, example = _diff(text, after)
        log.append(LogEntry(step, rule.name, n, example))
        text = after
    return text, log
