"""Cleaning rules and their log: exact counts and examples on small texts, nothing logged when
nothing changes, and the clean text equal to the plain definition of every rule."""

from __future__ import annotations

import re
import unicodedata

import pytest

from msresearch import config
from msresearch.read import clean
from msresearch.read.corpus import read_document_text

ROOT = config.ROOT
SOURCES = sorted(ROOT.glob("data/raw/*.txt")) + sorted(ROOT.glob("tests/genres/lists/labelled/docs/*.txt"))
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
        single: list[bool] = []  # the paragraph is one line as it stood
        for line in text.split("\n"):
            if (out and line and "\t" not in line and "\t" not in out[-1]
                    and re.search(f"{clean.HAN}$", out[-1]) and re.search("[，。]", out[-1])
                    and re.match(clean.HAN, line) and not clean.NUMBER_START.match(line)
                    and not (single[-1] and clean.HEADING_LINE.match(out[-1]))):
                out[-1] += line
                single[-1] = False
            else:
                out.append(line)
                single.append(True)
        return "\n".join(out)

    # Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt), written out
    ignorable = [(0xAD, 0xAD), (0x34F, 0x34F), (0x61C, 0x61C), (0x115F, 0x1160), (0x17B4, 0x17B5),
                 (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F),
                 (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0),
                 (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF)]

    def drop_invisible_characters(text: str) -> str:
        out = []
        for c in text.replace("\r\n", "\n"):
            if c in "\t\n":
                out.append(c)
            elif c in "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029":
                out.append("\n")
            elif not (unicodedata.category(c) in ("Cc", "Cf")
                      or any(a <= ord(c) <= b for a, b in ignorable)):
                out.append(c)
        return "".join(out)

    def normalise_characters(text: str) -> str:
        return "".join(clean.NORMAL_CHARACTERS.get(c, c) for c in text)

    return [
        drop_invisible_characters,
        normalise_characters,
        lambda t: clean.SPACED_NUMBER.sub(clean._joined_number, t),
        to_simplified,
        lambda t: furniture.sub("", t),
        lambda t: line_spaces.sub("", t),
        lambda t: clean.PINYIN.sub("", t),
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


# --- drop_invisible_characters and normalise_characters ---------------------------------------

STANDARD = "（一）甲，乙：丙；丁！戊？20％\u3000①②⑳．。、（1）〔2020〕“”《》…—"
FILLERS = "\u115f\u1160\u3164\uffa0\u180e"  # Hangul fillers, the Mongolian vowel separator


@pytest.mark.parametrize(("text", "result", "n"), [
    # invisible characters, wherever they are
    ("\ufeff（\u200b一\u2060）甲\u00ad乙\n", "（一）甲乙\n", 4),
    ("\u200e1\u200f.\u202a甲\u202c乙\u2066丙\u2069", "1.甲乙丙", 6),
    ("甲\u200c\u200d乙\u034f丙\ufe0f\U000e0100丁\U000e0001\U000e0041", "甲乙丙丁", 7),
    # control characters, fillers and the format characters of other scripts
    ("\x00一、\x1b甲\x7f乙\x9f丙\x07", "一、甲乙丙", 5),
    ("一\u3164、甲\uffa0乙\u115f\u1160丙\u180e", "一、甲乙丙", 5),
    ("\u0600\ufff9甲\ufffa乙\ufffb", "甲乙", 4),
    # what breaks a line becomes a line break: a page break before an item keeps it on its line
    ("三、丙\n\x0c四、丁", "三、丙\n\n四、丁", 1),
    ("甲\r\n乙\r丙\u2028丁\u2029戊\x0b己\x85庚\x1c辛\x1d壬\x1e", "甲\n乙\n丙\n丁\n戊\n己\n庚\n辛\n壬\n", 9),
    # the tab and the line feed stay
    ("序号\t项目\n1\t甲\n", "序号\t项目\n1\t甲\n", 0),
    (STANDARD, STANDARD, 0),
])
def test_drop_invisible_characters(text, result, n):
    tally = clean.Tally()
    assert clean.drop_invisible_characters(text, tally) == result
    assert tally.n == n
    assert clean.drop_invisible_characters(result) == result


def test_every_control_format_and_filler_character_is_handled():
    """Every character of categories Cc (but the tab and LF), Cf, Zl and Zp, and every
    default-ignorable filler, is removed or made a line break: none is left for the segmenter."""
    import sys
    import unicodedata

    handled = 0
    for code in range(sys.maxunicode + 1):
        c = chr(code)
        if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") or c in FILLERS:
            if c in "\t\n":
                continue
            assert clean.drop_invisible_characters(f"甲{c}乙") in ("甲乙", "甲\n乙"), f"U+{code:04X}"
            handled += 1
    assert handled > 230


@pytest.mark.parametrize(("text", "result", "n"), [
    # space look-alikes become a space; the ideographic space stays
    ("a\xa0b\u2002c\u2003d\u2009e\u202ff\u205fg\u3000h", "a b c d e f g\u3000h", 6),
    ("\xa0\xa0（一）甲\u2003乙\n", "  （一）甲 乙\n", 3),
    # digits
    ("１２．新建３０所，２０２４年", "12．新建30所，2024年", 8),
    ("\U0001d7cf.\U0001d7f8", "1.2", 2),
    # brackets and parenthesized numbers
    ("﹙1﹚❨2❩❪3❫⟮4⟯⸨5⸩︵6︶", "（1）（2）（3）（4）（5）（6）", 12),
    ("⑴甲⑵乙⒇丙⒈丁⒛戊㈠己㈩", "（1）甲（2）乙（20）丙1.丁20.戊（一）己（十）", 7),
    # small, vertical and half-width punctuation, Kangxi radicals
    ("⼀﹑⼆､三︑1﹒2｡3︒", "一、二、三、1.2。3。", 8),
    ("甲﹐乙﹕丙﹔丁﹖戊﹗己︐﹝2020﹞", "甲,乙:丙;丁?戊!己,〔2020〕", 8),
    # standard characters, and look-alikes the segmenter reads or that mean something else
    (STANDARD + "(2)❶➀➊㊀Ａ㎡℃Ⅴ¹\t", STANDARD + "(2)❶➀➊㊀Ａ㎡℃Ⅴ¹\t", 0),
])
def test_normalise_characters(text, result, n):
    tally = clean.Tally()
    assert clean.normalise_characters(text, tally) == result
    assert tally.n == n
    assert clean.normalise_characters(result) == result


def test_the_log_shows_what_cannot_be_seen_in_its_example():
    tally = clean.Tally()
    clean.drop_invisible_characters("（\u200b一）甲\x0c乙\r\n", tally)
    assert tally.example == "（<U+200B>一）甲<U+000C>乙<U+000D> → （一）甲⏎乙⏎"
    tally = clean.Tally()
    clean.normalise_characters("（一）甲\xa0乙", tally)
    assert tally.example == "（一）甲<U+00A0>乙 → （一）甲 乙"


def test_space_lookalikes_are_spaces():
    import unicodedata

    assert {unicodedata.category(c) for c in clean.SPACE_LOOKALIKES} == {"Zs"}
    assert "\u3000" not in clean.NORMAL_CHARACTERS and " " not in clean.NORMAL_CHARACTERS


def test_look_alikes_become_their_nfkc_form_or_its_full_width_bracket():
    import unicodedata

    full = str.maketrans("()", "（）")
    for c, target in clean.NORMAL_CHARACTERS.items():
        if c in clean.SPACE_LOOKALIKES:
            continue
        nfkc = unicodedata.normalize("NFKC", c)
        if nfkc == c:  # ornamental brackets, which NFKC leaves as they are
            assert c in "❨❩❪❫⟮⟯⸨⸩" and target == "（）"["❨❪⟮⸨".find(c) < 0], f"U+{ord(c):04X}"
        else:
            assert target in (nfkc, nfkc.translate(full)), f"U+{ord(c):04X}"
    # why NFKC is not applied to the whole text: it would change standard Chinese text
    assert unicodedata.normalize("NFKC", STANDARD) != STANDARD
    assert clean.clean(STANDARD + "\n")[0] == STANDARD + "\n"


def test_invisible_and_look_alike_characters_are_the_first_rules_and_logged_by_name():
    assert [rule.apply for rule in clean.RULES[:2]] == [clean.drop_invisible_characters,
                                                       clean.normalise_characters]
    assert [rule.name for rule in clean.RULES[:5]] == [
        "drop_invisible_characters", "normalise_characters", "join_spaced_numbers",
        "to_simplified", "drop_page_furniture"]
    _, log = clean.clean("\ufeff（\u200b一）新建\xa0学校，改造道路。\n")
    assert log[0] == clean.LogEntry(1, "drop_invisible_characters", 2,
                                    "<U+FEFF>（<U+200B>一）新建 → （一）新建<U+00A0>")
    assert log[1].rule == "normalise_characters" and log[1].n_changes == 1
    assert [entry.step for entry in log] == list(range(1, len(clean.RULES) + 1))


def _marked(text: str) -> str:
    """The text with invisible and space look-alike characters before and inside its numbers."""
    text = re.sub(r"(?m)^(\s*)（(\d+)）", "\\1（\\2\u00ad）", text)
    text = re.sub(r"(?m)^(\s*)（", "\\1\ufeff（\u200b", text)
    text = re.sub(r"(?m)^(\s*)([一二三四五六七八九十]+)、", "\\1\xa0\\2\u2060、", text)
    return re.sub(r"(?m)^(\s*)(\d+)\.", "\\1\u200b\\2\u200d.", text)


@pytest.mark.parametrize("seed", SEEDS)
def test_invisible_characters_in_numbers_change_neither_the_text_nor_the_items(seed):
    from msresearch.genres.lists import segment

    text = TEXTS[seed]
    marked = _marked(text)
    assert marked != text
    assert clean.clean(marked)[0] == clean.clean(text)[0]
    before, after = segment(clean.clean(text)[0]), segment(clean.clean(marked)[0])
    assert [(it.printed_number, it.title, it.start, it.end) for it in after.items] == \
        [(it.printed_number, it.title, it.start, it.end) for it in before.items]


# b04 carries its furniture lines in traditional script, which drop_page_furniture (it runs
# before to_simplified) recognises only on a second pass.
@pytest.mark.parametrize("name", list(TEXTS))
def test_clean_is_idempotent_on_every_document(name):
    once, _ = clean.clean(TEXTS[name])
    assert clean.clean(once)[0] == once


@pytest.mark.parametrize(("text", "joined"), [
    ("1 .新建学校。\n", "1.新建学校。\n"), ("  12\t、改造道路\n", "  12、改造道路\n"),
    ("一 、教育\n", "一、教育\n"), ("（ 一 ）就业\n", "（一）就业\n"), ("( 3 )医疗\n", "(3)医疗\n"),
    ("2020 、全年\n", "2020 、全年\n"), ("共有 1 .5万人\n甲1 .乙\n", "共有 1 .5万人\n甲1 .乙\n"),
    # blanks between the digits of the opening number, before its mark and a non-digit
    ("1 0.新建学校\n", "10.新建学校\n"), ("1 0 .改造\n", "10.改造\n"), ("1\u30002、就业\n", "12、就业\n"),
    ("\u3000\u30001  1．养老\n", "\u3000\u300011．养老\n"), ("1 0 1、项目\n", "101、项目\n"),
    ("（ 1 2 ）医疗\n", "（12）医疗\n"), ("(1\u30000)教育\n", "(10)教育\n"),
    # … and not: a number with more digits, a decimal, a tab (a table's cell), mid-sentence
    ("1 000人参加\n", "1 000人参加\n"), ("2 0 2 0年\n", "2 0 2 0年\n"),
    ("2 0 2 0、全年\n", "2 0 2 0、全年\n"),
    ("共有 1 0.5万人\n", "共有 1 0.5万人\n"), ("1 0.5万人\n", "1 0.5万人\n"), ("1\t0.表格\n", "1\t0.表格\n"),
    ("甲1 0.乙\n", "甲1 0.乙\n"), ("（1 000）\n", "（1 000）\n"), ("1 0\n", "1 0\n"),
])
def test_blanks_inside_a_lines_opening_number_are_removed(text, joined):
    tally = clean.Tally()
    assert clean.join_spaced_numbers(text, tally) == joined
    assert tally.n == (text != joined)


@pytest.mark.parametrize("blank", ["\xa0", "\u2007", "\u3000", " ", " \xa0", "\u3000 "])
def test_a_blank_between_the_digits_of_an_opening_number_is_read_like_none(blank):
    text = "一、教育\n10.新建学校。\n11、改造道路。\n（12）建设养老中心。\n"
    spaced = (text.replace("10.", f"1{blank}0.").replace("11、", f"1{blank}1、")
              .replace("（12）", f"（1{blank}2）"))
    tally = clean.Tally()
    assert clean.join_spaced_numbers(clean.normalise_characters(spaced), tally) == text
    assert tally.n == 3 and tally.example.startswith(f"一、教育⏎1{clean.normalise_characters(blank)}0.")
    assert clean.clean(spaced)[0] == clean.clean(text)[0]


def _spaced_item_number(text: str, number: str, blank: str, every: bool = False) -> str:
    """The text with a blank between the digits of the number that opens the line of item
    ``number`` (of every two-digit item number when ``every``)."""
    digits = r"\d\d" if every else re.escape(number)
    return re.sub(rf"(?m)^(\s*)({digits})\.", lambda m: f"{m[1]}{m[2][0]}{blank}{m[2][1:]}.", text,
                  count=0 if every else 1)


@pytest.mark.parametrize("every", [False, True], ids=["item10", "every-two-digit-item"])
@pytest.mark.parametrize("blank", ["\xa0", "\u2007", "\u3000", " "])
def test_a_blank_inside_a_seeds_item_number_changes_no_item(blank, every):
    from msresearch.genres.lists import segment

    text = (ROOT / "data/raw/2019-xuancheng.txt").read_text(encoding="utf-8")
    spaced = _spaced_item_number(text, "10", blank, every)
    assert spaced != text
    assert any(line.lstrip().startswith(f"1{blank}0.") for line in spaced.split("\n"))
    before, after = segment(clean.clean(text)[0]).items, segment(clean.clean(spaced)[0]).items
    assert len(before) == 54
    assert [it.printed_number for it in after] == [it.printed_number for it in before]


def test_fullwidth_punctuation_runs_until_nothing_changes():
    tally = clean.Tally()
    text = clean.fullwidth_punctuation("截至2020:(一)新建学校:,“改造”\n", tally)
    assert text == "截至2020：（一）新建学校：，“改造”\n" and tally.n == 5
    assert clean.fullwidth_punctuation(text) == text


@pytest.mark.parametrize("run", [",:" * 6, ":" * 40, "!?;" * 3000, "),;" * 20])
def test_fullwidth_punctuation_reaches_its_fixed_point_however_long_the_run(run):
    # after the first, each mark is Chinese only through the one before it, once that one is
    # full-width (the old rule stopped after 8 passes, so that cleaning twice changed more)
    tally = clean.Tally()
    text = clean.fullwidth_punctuation("新建学校" + run + "\n1,000\n", tally)
    assert text == "新建学校" + "".join(clean.HALF_TO_FULL[c] for c in run) + "\n1,000\n"
    assert tally.n == len(run)
    assert tally.example.startswith("新建学校" + run[:6])
    assert clean.fullwidth_punctuation(text) == text


@pytest.mark.parametrize("unseen", ["\x0c", "\x00", "\x0b", "\x85", "\x7f", "\x1b", "\u3164",
                                    "\uffa0", "\u115f", "\u1160", "\u180e"])
def test_a_character_that_cannot_be_seen_before_an_item_hides_no_item(unseen):
    """Four items with a form feed (a pdftotext page break) or another control or filler
    character where the fourth one's line starts: four items, not three."""
    from msresearch.genres.lists import segment

    text = ("关于做好民生工作的通知\n一、新建幼儿园10所。\n二、改造老旧小区20个。\n三、新增就业岗位。\n"
            f"{unseen}四、建设养老院3所。\n")
    cleaned, log = clean.clean(text)
    titles = [it.title for it in segment(cleaned).items if not it.procedural]
    assert len(titles) == 4 and titles[3].startswith("建设养老院")
    assert log[0].rule == "drop_invisible_characters" and log[0].n_changes == 1


@pytest.mark.parametrize(("text", "joined"), [
    # a heading whose comma is its own keeps its line; the paragraph below stays a paragraph
    ("一、砥砺前行，书写全面脱贫圆梦小康的精彩篇章\n四年来，全市上下坚持发展。", False),
    ("**二、接续奋斗，全力开创新局面**\n今后五年，团结带领人民。", False),
    ("## 三、加大宏观政策实施力度，着力稳企业保就业\n困难挑战越大，越要深化改革。", False),
    # a line broken by PDF extraction is joined, numbered or not
    ("一、强化就业创业，推动全市城镇新增就业五万人以上并力争实现更好结果，确保\n零就业家庭动态清零。", True),
    ("新建幼儿园十所，改造\n老旧小区二十个。", True),
])
def test_a_heading_ends_its_paragraph_a_broken_line_is_joined(text, joined):
    result = clean.join_broken_lines(text)
    assert ("\n" not in result) == joined
