"""Properties of cleaning and segmentation, checked by hypothesis on short documents of the
genre (built from headings and item sentences, or windows of lines of the seed documents) and
on arbitrary text: characters one cannot see, the width of punctuation and the line ends never
change the items; cleaning is idempotent; any text segments or is bad input; every item's span
slices its text.

The examples are drawn deterministically (``derandomize``, no example database) and bounded,
so a run is repeatable and takes seconds; a failure prints the smallest document that shows it.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from msresearch import config
from msresearch.errors import InputError
from msresearch.genres.lists import segment
from msresearch.pipeline.build import index_document
from msresearch.read.clean import clean
from msresearch.read.corpus import Document, read_document_text

# Hypothesis keeps caches (constants read from the project's source, Unicode tables) in
# .hypothesis/ under the current folder; like pytest's cache (-p no:cacheprovider), they are kept
# out of the repository. (The examples drawn depend on the hypothesis version, the settings
# below and, through those constants, on the project's source, never on the clock.)
os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY",
                      str(Path(tempfile.gettempdir()) / "msresearch-hypothesis"))

ROOT = config.ROOT
SEEDS = [read_document_text(path.read_bytes(), path.name)[0] for path in sorted(ROOT.glob("data/raw/*.txt"))]


def bounded(max_examples: int):
    """Deterministic, bounded hypothesis settings: the same examples on every run."""
    return settings(max_examples=max_examples, derandomize=True, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# ------------------------------------------------------------------ documents

CN = "一二三四五六七八九十"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"
PREAMBLES = [
    "关于印发2024年民生实事项目的通知",
    "各县、区人民政府，市有关单位：现将有关事项通知如下：",
    "2024年实施民生实事（牵头单位：市政府办公室）",
]
HEADINGS = ["稳定和扩大就业", "教育惠民工程", "健康医疗保障", "城乡基础设施建设", "社会保障和救助"]
SENTENCES = [
    "新建幼儿园5所，新增学位1000个。",
    "改造城镇老旧小区30个；惠及居民1.2万户。",
    "实施技能培训工程，培训各类人员2000人次。（牵头单位：市人社局，责任单位：市财政局）",
    "提高城乡居民基本医疗保险补助标准：每人每年增加30元。",
    "农村改厕及废弃物资源化利用。根据全面推进农村人居环境整治工作要求，因地制宜推进。",
    "建设养老服务中心（站）12个，到2024年底完成。",
    "开展“四好农村路”建设，提升改造农村公路380公里。",
    "为60名肢体残疾儿童提供康复训练；牵头单位：市残联。",
]
LEVEL3 = ["{}.", "{}、", "（{}）", "circled"]


@st.composite
def synthetic_documents(draw) -> str:
    """A notice with numbered headings 一、, entries （一） and, below some, a list 1. / 1、 /
    （1） / ①; every mark of punctuation is full-width and next to Chinese text."""
    lines = [draw(st.sampled_from(PREAMBLES))]
    style = draw(st.sampled_from(LEVEL3))
    for i in range(draw(st.integers(1, 3))):
        lines.append(f"{CN[i]}、{draw(st.sampled_from(HEADINGS))}")
        for j in range(draw(st.integers(1, 3))):
            lines.append(f"（{CN[j]}）{draw(st.sampled_from(SENTENCES))}")
            for k in range(draw(st.integers(0, 3))):
                number = CIRCLED[k] if style == "circled" else style.format(k + 1)
                lines.append(number + draw(st.sampled_from(SENTENCES)))
    return "\n".join(lines) + "\n"


@st.composite
def seed_windows(draw) -> str:
    """Up to 20 consecutive lines of a seed document, as read (furniture, indentation, blank
    lines and half-width punctuation included)."""
    lines = draw(st.sampled_from(SEEDS)).split("\n")
    start = draw(st.integers(0, len(lines) - 1))
    return "\n".join(lines[start:start + draw(st.integers(1, 20))]) + "\n"


DOCUMENTS = st.one_of(synthetic_documents(), seed_windows())

INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f"  # ZWSP ZWNJ ZWJ WJ BOM SHY LRM RLM
SPACE_LOOKALIKES = "\xa0\u2002\u2003\u2009\u202f"

# Pieces of arbitrary text: characters of every kind the rules and the segmenter read, and the
# tokens they look for (numbers of each style, unit labels, furniture, pinyin, table headers).
CHARS = ("一二三四五六七八九十百甲乙丙新建学校项目國區实事0123456789１２ａA"
         "，。、：；！？（）,.:;!?()%％“”《》〔〕．﹙﹚⑴①②⼀ \t\u3000\n\r" + INVISIBLE + SPACE_LOOKALIKES)
TOKENS = ["一、", "二、", "（一）", "（二）", "(一)", "1.", "2.", "1、", "（1）", "（2）", "①", "②", "⑴",
          "第一件：", "之一：", "一是", "二是", "礼包1：", "附件", "附件1", "新建", "学校", "民生实事",
          "50项", "3项", "（牵头单位：市人社局）", "牵头单位：", "访问次数:1", "扫一扫在手机打开当前页",
          "序号\t项目名称\t牵头单位", "2020年", "1.5万", "区(qū)", "《通知》（皖政〔2020〕17号）", "\n\n"]
ARBITRARY = st.lists(st.one_of(st.sampled_from(TOKENS), st.text(alphabet=CHARS, min_size=1, max_size=4)),
                     max_size=40).map("".join)


def _items(text: str) -> tuple:
    """What segmentation finds in a cleaned document: the level, and each item's number,
    title, kind and text."""
    clean_text, _ = clean(text)
    seg = segment(clean_text)
    return seg.item_level, [(it.printed_number, it.title, it.procedural, clean_text[it.start:it.end])
                            for it in seg.items]


def _insert(text: str, insertions: list[tuple[int, str]]) -> str:
    """The text with each string inserted at its position (positions in the original text)."""
    pieces, pos = [], 0
    for at, piece in sorted(insertions, key=lambda x: x[0]):
        pieces += (text[pos:at], piece)
        pos = at
    return "".join(pieces) + text[pos:]


@st.composite
def with_insertions(draw, alphabet, documents=DOCUMENTS, at_line_starts: bool = False
                    ) -> tuple[str, list[tuple[int, str]]]:
    """A document and strings of ``alphabet`` (characters, or a strategy of them) to insert
    anywhere in it, or only where a line starts (``at_line_starts``)."""
    text = draw(documents)
    starts = [0] + [k + 1 for k, c in enumerate(text) if c == "\n"]
    where = st.sampled_from(starts) if at_line_starts else st.integers(0, len(text))
    pieces = st.tuples(where, st.text(alphabet, min_size=1, max_size=3))
    insertions = draw(st.lists(pieces, min_size=1, max_size=30))
    return text, insertions


# Every character one cannot see: controls (but the tab and the line feed, and those that
# break a line, below), format characters, and the Hangul and Mongolian fillers.
LINE_BREAKING = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
UNSEEN = st.one_of(st.characters(categories=["Cc", "Cf"], exclude_characters="\t\n" + LINE_BREAKING),
                   st.sampled_from("\u115f\u1160\u3164\uffa0\u180e\u034f\ufe0f"))


# ------------------------------------------------------------------ properties

@bounded(300)
@given(with_insertions(INVISIBLE, st.one_of(DOCUMENTS, ARBITRARY)))
def test_invisible_characters_anywhere_never_change_the_items(case):
    text, insertions = case
    assert _items(_insert(text, insertions)) == _items(text)


@bounded(300)
@given(with_insertions(UNSEEN, st.one_of(DOCUMENTS, ARBITRARY)))
def test_any_control_format_or_filler_character_anywhere_never_changes_the_items(case):
    text, insertions = case
    assert _items(_insert(text, insertions)) == _items(text)


@bounded(200)
@given(with_insertions(LINE_BREAKING, at_line_starts=True))
def test_a_form_feed_or_other_line_break_where_a_line_starts_never_changes_the_items(case):
    """What pdftotext writes at a page break (a form feed before the page's first line), and
    the other characters that break a line, where a line starts."""
    text, insertions = case
    assert _items(_insert(text, insertions)) == _items(text)


@bounded(200)
@given(with_insertions(SPACE_LOOKALIKES))
def test_a_space_lookalike_anywhere_counts_as_an_ordinary_space(case):
    text, insertions = case
    spaces = [(at, " " * len(piece)) for at, piece in insertions]
    assert _items(_insert(text, insertions)) == _items(_insert(text, spaces))


def _blank_places(text: str) -> list[int]:
    """Where a space changes nothing the rules claim: at the start or end of a line, and
    between two Chinese characters."""
    han = re.compile(r"[\u4e00-\u9fff]")
    return [i for i in range(len(text) + 1)
            if i == 0 or i == len(text) or text[i - 1] == "\n" or text[i] == "\n"
            or (han.match(text[i - 1]) and han.match(text[i]))]


@st.composite
def spaces_in_blank_places(draw) -> tuple[str, list[tuple[int, str]]]:
    text = draw(synthetic_documents())
    places = _blank_places(text)
    insertions = draw(st.lists(st.tuples(st.sampled_from(places), st.text(SPACE_LOOKALIKES + " \u3000",
                                                                          min_size=1, max_size=3)),
                               min_size=1, max_size=30))
    return text, insertions


@bounded(200)
@given(spaces_in_blank_places())
def test_no_break_and_other_spaces_at_line_ends_or_between_characters_never_change_the_items(case):
    text, insertions = case
    assert _items(_insert(text, insertions)) == _items(text)


def test_a_space_inside_an_arabic_number_is_read_like_none():
    text = "一、教育\n1.新建学校。\n2.改造道路。\n"
    assert _items(text.replace("1.", "1\xa0.")) == _items(text)


@st.composite
def spaces_between_the_digits_of_item_numbers(draw) -> tuple[str, str]:
    """A notice with a list of 10 to 12 items (1. / 1、 / 1． / （1）, so that 10, 11 and 12 exist)
    and the same with a run of blanks between the two digits of some of 10, 11 and 12."""
    style = draw(st.sampled_from(["{}.", "{}、", "{}．", "（{}）"]))
    n = draw(st.integers(10, 12))
    indent = draw(st.sampled_from(["", "  ", "\u3000\u3000"]))
    lines = [draw(st.sampled_from(PREAMBLES)), f"一、{draw(st.sampled_from(HEADINGS))}"]
    lines += [indent + style.format(k) + draw(st.sampled_from(SENTENCES)) for k in range(1, n + 1)]
    spaced = draw(st.lists(st.integers(10, n), min_size=1, max_size=3, unique=True))
    variant = list(lines)
    for k in spaced:
        blanks = draw(st.text(" \xa0\u2007\u3000", min_size=1, max_size=3))
        spaced_k = style.format(f"{k // 10}{blanks}{k % 10}")
        variant[k + 1] = variant[k + 1].replace(style.format(k), spaced_k, 1)
    return "\n".join(lines) + "\n", "\n".join(variant) + "\n"


@bounded(100)
@given(spaces_between_the_digits_of_item_numbers())
def test_blanks_between_the_digits_of_an_opening_number_never_change_the_items(case):
    text, variant = case
    assert variant != text
    level, items = _items(text)
    assert [number for number, *_ in items][-1].strip("（）.、．") == str(len(items))  # 10, 11 or 12 read
    assert _items(variant) == (level, items)


HALF = {"，": ",", "：": ":", "；": ";", "（": "(", "）": ")"}


@st.composite
def half_width_marks(draw) -> tuple[str, str]:
    """A synthetic document and the same with some of its ，：；（） half-width, none of them
    next to another made half-width (the rule reads each mark's neighbours as they were), and
    a bracket that opens a line before a number together with its closing bracket: "(2）" at
    the start of a line stays as it is (fullwidth_punctuation reads "(" there only before "2)")."""
    text = draw(synthetic_documents())
    places = [i for i, c in enumerate(text) if c in HALF]
    chosen = draw(st.lists(st.sampled_from(places), unique=True)) if places else []
    chosen = sorted(chosen)
    kept = [i for k, i in enumerate(chosen) if k == 0 or i - chosen[k - 1] > 1]
    for m in re.finditer(r"(?m)^（[0-9A-Za-z]+(）)", text):
        if m.start() in kept and m.start(1) not in kept:
            kept.append(m.start(1))
    out = list(text)
    for i in kept:
        out[i] = HALF[out[i]]
    return text, "".join(out)


@bounded(300)
@given(half_width_marks())
def test_half_width_punctuation_in_chinese_text_never_changes_the_items(case):
    text, variant = case
    assert _items(variant) == _items(text)


@bounded(200)
@given(DOCUMENTS, st.data())
def test_line_ends_never_change_the_items(text, data):
    lines = text.split("\n")
    ends = data.draw(st.lists(st.sampled_from(["\n", "\r\n", "\r"]), min_size=len(lines) - 1,
                              max_size=len(lines) - 1))
    variant = "".join(line + end for line, end in zip(lines, ends + [""], strict=True))
    assert _items(variant) == _items(text)


HALF_MARKS = st.text(alphabet=",:;?!()", min_size=8, max_size=40)  # runs the old rule left half-done


@bounded(500)
@given(st.one_of(ARBITRARY, DOCUMENTS, st.text(alphabet=CHARS, max_size=80),
                 st.tuples(ARBITRARY, HALF_MARKS, ARBITRARY).map("".join)))
def test_cleaning_is_idempotent(text):
    once, _ = clean(text)
    assert clean(once)[0] == once


@bounded(500)
@given(st.one_of(ARBITRARY, st.text(max_size=80), DOCUMENTS))
def test_any_text_segments_or_is_bad_input(text):
    try:
        ix = index_document(Document("x", {"file": "x.txt"}, text))
    except InputError as err:
        assert err.file == "x.txt"
        return
    assert any(not it.procedural for it in ix.seg.items)


@bounded(500)
@given(st.one_of(ARBITRARY.map(lambda t: clean(t)[0]), DOCUMENTS.map(lambda t: clean(t)[0]), ARBITRARY,
                 st.text(max_size=80)))
def test_every_item_span_slices_its_text(text):
    for it in segment(text).items:
        assert 0 <= it.start <= it.end <= len(text)
        # the title is the text where the span begins, and never runs past its end
        assert text[it.start:it.end].lstrip().startswith(it.title), (it.title, text[it.start:it.end])


def test_the_title_of_an_inline_entry_ends_with_its_span():
    text = "今年办好三件实事：①新建幼儿园②改造老旧小区③建设养老食堂。\n"
    items = segment(text).items
    assert [it.title for it in items] == ["新建幼儿园", "改造老旧小区", "建设养老食堂"]
    assert all(text[it.start:it.end].startswith(it.title) for it in items)
