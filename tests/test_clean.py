"""Cleaning rules and their log: exact counts and examples on small texts, nothing logged when
nothing changes, and the clean text equal to the plain definition of every rule."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from msresearch import clean
from msresearch.corpus import read_document_text

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted(ROOT.glob("data/raw/*.txt")) + sorted(ROOT.glob("tests/genre/docs/*.txt"))
TEXTS = {path.name: read_document_text(path.read_bytes(), path.name)[0] for path in SOURCES}
SEEDS = [path.name for path in SOURCES if path.parent.name == "raw"]

# Texts on which a rule's fast form could part from its plain definition: blank runs before
# furniture that the regex reaches across lines, long blank runs, a paragraph broken over many lines.
TRICKY = [
    "甲\n\n \n字号：大\n乙\n",
    "【\n\n字号：大】\n",
    "访问次数: x \n \n\n字号：大\n\n \n\n正文：\n",
    "  \n\u3000\n" * 50 + "扫一扫在手机打开当前页\n" + "\n" * 50,
    " " * 300 + "乙" + " " * 300 + "丙 \n",
    "（一）标题\n" + "".join(f"第{i}段有内容，还没有说完\n" for i in range(200)) + "（二）下一项\n",
    "國家區(qū)域 , 民生實事:\n\n甲\t乙\n丙",
    "",
    "\n\n",
    "甲",
]


def _plain_rules() -> list:
    """Every rule in its plain, slow definition: one ``re.sub`` or loop, as first written."""
    blank = r"[ \u3000\u2002\u2003\xa0]"
    furniture = re.compile(rf"^[ \t\u3000\u2003\xa0]*(?:{'|'.join(clean.FURNITURE)})[ \t\u3000\u2003\xa0]*$",
                           re.M)
    line_spaces = re.compile(rf"^{blank}+|{blank}+$", re.M)

    def to_simplified(text: str) -> str:
        return clean._t2s().convert(text) if clean.in_traditional_script(text) else text

    def drop_blank_lines(text: str) -> str:
        lines = [line for line in text.split("\n") if line.strip()]
        return "\n".join(lines) + "\n" if lines else ""

    def join_broken_lines(text: str) -> str:
        out: list[str] = []
        for line in text.split("\n"):
            if (out and line and "\t" not in line and "\t" not in out[-1]
                    and re.search(f"{clean.HAN}$", out[-1]) and re.search("[，。]", out[-1])
                    and re.match(clean.HAN, line) and not clean.NUMBER_START.match(line)):
                out[-1] += line
            else:
                out.append(line)
        return "\n".join(out)

    return [
        lambda t: furniture.sub("", t),
        lambda t: line_spaces.sub("", t),
        lambda t: clean.PINYIN.sub("", t),
        to_simplified,
        lambda t: clean.HALF_PUNCT.sub(lambda m: clean.HALF_TO_FULL[m.group()], t),
        lambda t: clean.INNER_SPACES.sub("", t),
        drop_blank_lines,
        join_broken_lines,
    ]


@pytest.mark.parametrize(("rule", "text", "result", "n", "example"), [
    ("drop_page_furniture", "正文\n访问次数:9627 信息来源:省网\n[ 字体:]\n扫一扫在手机打开当前页\n",
     "正文\n\n\n\n", 3, "正文⏎访问次数:9627 信息来源:省网⏎[ 字体: → 正文⏎⏎⏎⏎"),
    ("strip_line_spaces", "\u3000\u3000甲乙丙丁\n戊己  \n", "甲乙丙丁\n戊己\n", 2,
     "\u3000\u3000甲乙丙丁⏎戊 → 甲乙丙丁⏎戊"),
    ("drop_pinyin_annotations", "本區(qū)域和本區(qū)", "本區域和本區", 2,
     "本區(qū)域和本區(q → 本區域和本區"),
    ("to_simplified", "一二三四五六七八國家區域\n民生實事\n", "一二三四五六七八国家区域\n民生实事\n", 3,
     "三四五六七八國家區域 → 三四五六七八国家区域"),
    ("fullwidth_punctuation", "就业,增收:好 1,000", "就业，增收：好 1,000", 2,
     "就业,增收:好 1 → 就业，增收：好 1"),
    ("remove_spaces_in_chinese", "实施 33 项 民生工程", "实施33项民生工程", 3,
     "实施 33 项 民 → 实施33项民生工"),
    ("drop_blank_lines", "甲\n\n \n乙\n\n丙", "甲\n乙\n丙\n", 4, "甲⏎⏎ ⏎乙 → 甲⏎乙"),
    ("drop_blank_lines", "甲\n\u3000 ", "甲\n", 1, "甲⏎\u3000  → 甲⏎"),
    ("join_broken_lines", "（一）改造。将设施纳\n入改造内容。\n（二）下一项",
     "（一）改造。将设施纳入改造内容。\n（二）下一项", 1,
     "造。将设施纳⏎入改造内容。 → 造。将设施纳入改造内容。"),
])
def test_each_rule_counts_its_changes_and_shows_the_first(rule, text, result, n, example):
    tally = clean.Tally()
    assert getattr(clean, rule)(text, tally) == result
    assert (tally.n, tally.example) == (n, example)
    assert getattr(clean, rule)(text) == result  # the plain str -> str call


def test_only_matches_whose_replacement_differs_are_counted():
    text = "a1b22c1"
    tally = clean.Tally()
    result = clean._replace(text, re.finditer(r"\d+", text), lambda m: "1" if m.group() == "1" else "X",
                            tally)
    assert result == "a1bXc1"
    assert (tally.n, tally.example) == (1, "a1b22c1 → a1bXc1")


@pytest.mark.parametrize("rule", clean.RULES, ids=lambda rule: rule.name)
def test_a_rule_that_changes_nothing_logs_nothing(rule):
    text = "（一）甲乙，丙丁。\n1.戊己 ab 2020年\t庚\n"
    tally = clean.Tally()
    assert rule.apply(text, tally) == text
    assert (tally.n, tally.example) == (0, "")


def test_the_log_has_a_change_exactly_when_the_rule_changed_the_text():
    for name, text in TEXTS.items():
        for rule in clean.RULES:
            tally = clean.Tally()
            after = rule.apply(text, tally)
            assert (tally.n > 0) == (after != text) == (tally.example != ""), (name, rule.name)
            text = after


@pytest.mark.parametrize("seed", SEEDS)
def test_clean_is_idempotent_on_the_seeds(seed):
    once, _ = clean.clean(TEXTS[seed])
    twice, log = clean.clean(once)
    assert twice == once
    assert all(entry.n_changes == 0 for entry in log if entry.rule != "to_simplified")


def test_a_paragraph_broken_over_many_lines_is_joined_into_one():
    lines = [f"第{i}行有内容，还没有说完" for i in range(5000)]
    text = "（一）标题\n" + "\n".join(lines) + "\n（二）下一项\n甲，乙\t丙\n丁"
    tally = clean.Tally()
    joined = clean.join_broken_lines(text, tally)
    assert joined == "（一）标题\n" + "".join(lines) + "\n（二）下一项\n甲，乙\t丙\n丁"
    assert tally.n == 4999
    assert tally.example == "，还没有说完⏎第1行有内容 → ，还没有说完第1行有内容"


@pytest.mark.parametrize("name", list(TEXTS) + [f"tricky-{i}" for i in range(len(TRICKY))])
def test_clean_text_equals_the_plain_definition_of_every_rule(name):
    text = TEXTS[name] if name in TEXTS else TRICKY[int(name.split("-")[1])]
    cleaned, log = clean.clean(text)
    expected = plain = text
    for rule, reference in zip(clean.RULES, _plain_rules(), strict=True):
        expected = reference(expected)
        plain = rule.apply(plain)
        assert plain == expected, rule.name
    assert cleaned == expected
    assert [entry.rule for entry in log] == [rule.name for rule in clean.RULES]
