"""Cleaning: an ordered list of small named rules that turn decoded text into clean text.

Each rule is a function ``str -> str`` that, given a ``Tally``, also counts the places it
changed and keeps the first as an example; ``clean`` applies the rules in order and logs, for
every rule, how often it fired and one example, so that every change to the raw text is
visible (``cleaning_log.csv``). Every rule and the log take time linear in the text's length.
Item offsets refer to the cleaned text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from itertools import groupby
from operator import ne

import regex

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
# The indentation is matched possessively (*+): the same matches, without retrying every shorter
# indentation when a long one is followed by no furniture.
FURNITURE_LINE = re.compile(rf"^[ \t\u3000\u2003\xa0]*+(?:{'|'.join(FURNITURE)})[ \t\u3000\u2003\xa0]*$",
                            re.M)
# Trailing blanks are sought only from the start of a run of blanks (the lookbehind): the same
# matches as without it, but a long run inside a line is read once rather than once per blank.
LINE_BLANK = r"[ \u3000\u2002\u2003\xa0]"
LINE_SPACES = re.compile(rf"^{LINE_BLANK}+|(?<!{LINE_BLANK}){LINE_BLANK}+$", re.M)
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


def _span(first: str, last: str) -> str:
    """The characters from ``first`` to ``last``, both included."""
    return "".join(map(chr, range(ord(first), ord(last) + 1)))


def _char_class(chars: Iterable[str]) -> str:
    """A regex character class of the given characters, written as ranges of consecutive code
    points (a class of many single characters outside the BMP is tested one by one, slowly)."""
    runs: list[list[int]] = []
    for code in sorted(set(map(ord, chars))):
        if runs and code == runs[-1][1] + 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    return "[" + "".join(re.escape(chr(a)) + (f"-{re.escape(chr(b))}" if b > a else "")
                         for a, b in runs) + "]"


# drop_invisible_characters: the characters that cannot be seen. Those that break a line
# (what ``str.splitlines`` breaks at besides LF: CR, VT, FF — which pdftotext writes at every
# page break —, the information separators FS, GS, RS, NEL, and the Unicode line and
# paragraph separators) become LF; every other control character (Cc) but the tab, every
# format character (Cf: zero-width spaces and joiners, bidi controls, BOM, tags, the Mongolian
# vowel separator …) and every default-ignorable code point (the Hangul fillers U+115F,
# U+1160, U+3164, U+FFA0, the variation selectors, the combining grapheme joiner …) is
# removed. Unicode's own properties, not a list: no character class is left out.
LINE_BREAKING = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
INVISIBLE_CHARACTER = regex.compile(
    r"(?V1)\r\n|[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]"
    r"|[[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}]--[\t\n]]")
UNSEEN = regex.compile(r"(?V1)[[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\u2028\u2029]--[\t\n]]")
SPACE_LOOKALIKES = "\xa0" + _span("\u2000", "\u200a") + "\u202f\u205f"  # not U+3000
# Look-alikes whose NFKC form is the standard character: full-width and mathematical digits;
# Kangxi and CJK radicals (what PDF extraction often gives for 一 二 八 …); small, vertical and
# half-width forms of 、 。 , : ; ? ! 〔 〕 (, : ; ? ! become ASCII here, and full-width inside
# Chinese text by fullwidth_punctuation, as typed ones do).
NFKC_LOOKALIKES = (_span("０", "９") + _span("\U0001d7ce", "\U0001d7ff") + _span("\u2f00", "\u2fd5")
                   + "\u2e9f\u2ef3" + "︐︑︒︓︔︕︖﹐﹑﹒﹔﹕﹖﹗﹝﹞｡､")
NORMAL_CHARACTERS: dict[str, str] = {
    **dict.fromkeys(SPACE_LOOKALIKES, " "),
    **{c: unicodedata.normalize("NFKC", c) for c in NFKC_LOOKALIKES},
    **dict.fromkeys("﹙❨❪⟮⸨︵", "（"),  # small, ornamental, flattened, double, vertical brackets
    **dict.fromkeys("﹚❩❫⟯⸩︶", "）"),
    **{chr(0x2474 + k): f"（{k + 1}）" for k in range(20)},  # ⑴ … ⒇
    **{chr(0x2488 + k): f"{k + 1}." for k in range(20)},  # ⒈ … ⒛
    **{chr(0x3220 + k): f"（{cn}）" for k, cn in enumerate("一二三四五六七八九十")},  # ㈠ … ㈩
}
NONSTANDARD = re.compile(_char_class(NORMAL_CHARACTERS))
# How the log's examples show the characters that cannot be seen.
SHOWN = str.maketrans({"\n": "⏎", "\t": "⇥", **{c: f"<U+{ord(c):04X}>" for c in SPACE_LOOKALIKES}})

HAN_CHAR = re.compile(HAN)
NOT_HAN = re.compile(f"[^{CJK}]+")
CONTEXT = 6  # characters shown on each side of a change in the log's example


def _show(text: str) -> str:
    """A short one-line form of a piece of text for the log: newlines ⏎, tabs ⇥, characters that
    cannot be seen as <U+200B>, 80 characters."""
    return UNSEEN.sub(lambda m: f"<U+{ord(m.group()):04X}>", text[:80]).translate(SHOWN)[:80]


@dataclass
class Tally:
    """The changes one rule made to one text: how many places, and the first one shown as
    ``before → after``; filled by the rule while it works, so the log costs no second pass."""

    n: int = 0
    example: str = ""

    def add(self, before: str, after: str, count: int = 1) -> None:
        """Count ``count`` changed places; the first change counted becomes the example."""
        if count and not self.n:
            self.example = f"{_show(before)} → {_show(after)}"
        self.n += count


@dataclass(frozen=True)
class Rule:
    """A named cleaning step: what it does, in words, and the function that does it (which
    counts its changes into a ``Tally`` when given one)."""

    name: str
    description: str
    apply: Callable[[str, Tally | None], str]


@dataclass(frozen=True)
class LogEntry:
    """How often one rule changed one document, with the first change as an example."""

    step: int
    rule: str
    n_changes: int
    example: str


def _replace(text: str, matches: Iterable[re.Match[str]], repl: str | Callable[[re.Match[str]], str],
             tally: Tally | None) -> str:
    """Replace each match (non-overlapping, in order) by ``repl`` (a literal string, or a function
    of the match), as ``pattern.sub`` does; count in ``tally`` only the matches whose replacement
    differs from what they matched, and show the first of them in its context before and after."""
    pieces, pos, out_pos, n = [], 0, 0, 0
    first = None  # (start, end) in text and in the result of the first change
    for m in matches:
        new = repl if isinstance(repl, str) else repl(m)
        start, end = m.span()
        out_start = out_pos + start - pos
        if new != m.group():
            n += 1
            first = first or (start, end, out_start, out_start + len(new))
        pieces += (text[pos:start], new)
        pos, out_pos = end, out_start + len(new)
    pieces.append(text[pos:])
    result = "".join(pieces)
    if tally is not None and first:
        start, end, out_start, out_end = first
        tally.add(text[max(0, start - CONTEXT):end + CONTEXT],
                  result[max(0, out_start - CONTEXT):out_end + CONTEXT], n)
    return result


def _furniture_matches(text: str) -> Iterator[re.Match[str]]:
    """The matches ``FURNITURE_LINE.finditer(text)`` gives, in time linear in the text.

    A match starts at a line start, and the ``\\s*`` of two patterns (字号, 正文) lets one start on
    a blank line and run on over the blank lines below, so the regex engine would read a run of
    k blank lines k times. A blank line right below a blank line starts no match: it sees what
    the line above saw, and that line either failed or lies inside a match (no match ends on a
    blank line). Those lines are not tried."""
    pos = start = 0  # no match starts before pos, the end of the last one
    above_blank = False
    while start <= len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        blank = start == end or text[start:end].isspace()  # isspace is the regex's \s
        if start >= pos and not (blank and above_blank):
            m = FURNITURE_LINE.match(text, start)
            if m:
                yield m
                pos = m.end()
        above_blank, start = blank, end + 1


def drop_invisible_characters(text: str, tally: Tally | None = None) -> str:
    """Make every character that breaks a line a line break and remove every other character
    that cannot be seen, so that none decides whether an item is read: a form feed before
    "四、" (a page break from pdftotext) leaves "四、" at the start of its line; "（一）" with a
    zero-width space inside, "1." after a BOM or a NUL is read as "（一）" and "1.".

    ===========================================  ==============================================
    characters                                   become
    ===========================================  ==============================================
    CR LF, CR, VT, FF, FS, GS, RS (U+001C–001E),  LF
    NEL U+0085, U+2028, U+2029
    every other control character (Cc: NUL, ESC,  nothing
    DEL, the C1 controls …) but the tab
    every format character (Cf: soft hyphen,
    ZWSP/ZWNJ/ZWJ, LRM/RLM, bidi controls, word
    joiner, BOM, tags, the Mongolian vowel
    separator, interlinear annotation marks …)
    every other default-ignorable code point
    (Hangul fillers U+115F, U+1160, U+3164,
    U+FFA0, the combining grapheme joiner,
    variation selectors …)
    ===========================================  ==============================================

    The tab stays: it separates a table's cells. Each character changed counts as one change (a
    CR LF pair as one); the log's example shows them as <U+000C>."""
    return _replace(text, INVISIBLE_CHARACTER.finditer(text),
                    lambda m: "\n" if m.group()[0] in LINE_BREAKING else "", tally)


def normalise_characters(text: str, tally: Tally | None = None) -> str:
    """Make look-alike characters the standard ones, so that no character one cannot tell
    from the standard one decides whether a number is read: "１．", "﹙1﹚" and "⼀、" are read as
    "1.", "（1）" and "一、".

    ============================================  =============================================
    characters                                    become
    ============================================  =============================================
    no-break and typographic spaces U+00A0,       an ordinary space (then removed or kept by
    U+2000–200A, U+202F, U+205F                   strip_line_spaces and remove_spaces_in_chinese,
                                                  which treat them alike); the ideographic space
                                                  U+3000 stays as it is
    full-width digits ０–９, mathematical digits   their NFKC form: 0–9, the ideograph, 、 。
    𝟎–𝟿, Kangxi radicals U+2F00–2FD5 (⼀ ⼆ ⼋ …),  , : ; ? ! 〔 〕
    U+2E9F, U+2EF3; small, vertical and
    half-width forms of 、 。 , : ; ? ! 〔 〕
    (﹑ ︑ ､ ﹒ ︒ ｡ ﹐ ︐ ﹕ ︓ ﹔ ︔ ﹖ ︖ ﹗ ︕ ﹝ ﹞)
    ﹙﹚ ❨❩ ❪❫ ⟮⟯ ⸨⸩ ︵︶                          （ ）(NFKC would give ASCII brackets)
    ⑴ … ⒇ (U+2474–2487)                           （1） … （20）(NFKC: "(1)")
    ⒈ … ⒛ (U+2488–249B)                           1. … 20.
    ㈠ … ㈩ (U+3220–3229)                          （一） … （十）(NFKC: "(一)")
    ============================================  =============================================

    NFKC is applied to these characters only, never to the whole text: it would make the
    standard full-width punctuation of Chinese text ASCII (（ ） ， ： ； ！ ？ ％ → ( ) , : ; ! ? %),
    the ideographic space a space, the circled item numbers ① ② … digits, and change ㎡ → m2,
    ℃ → °C, Ⅴ → V, … → ..., ¹ → 1. Characters the segmenter already reads are left as they are:
    ① … ⑳, the full-width full stop ． and 。 after numbers, ( ) and （ ）. Not mapped either:
    the dingbat circled digits ❶ ➀ ➊ and the circled ideographs ㊀ (a document may use them
    beside ① as a level of its own), full-width Latin letters, compatibility ideographs.

    Each character changed counts as one change."""
    return _replace(text, NONSTANDARD.finditer(text), lambda m: NORMAL_CHARACTERS[m.group()], tally)


# A number that opens a line and its mark with blanks between ("1 .", "一 、", "（ 一 ）"), or
# with blanks between its digits ("1 0.", "1 0 .", "（1 2）"), as a typed space or a no-break
# space made one by normalise_characters leaves them. Digits are joined across spaces and
# ideographic spaces only (a tab separates a table's cells), three digits at most in all (the
# lookahead: "1 000", "2 0 2 0、" are left alone), and before a mark only when no digit follows
# it ("1 0.5万" is a decimal). The digits are matched possessively (*+, {0,2}+): each blank is
# read a bounded number of times, and a line's start is the only place a match is tried.
SPACED_DIGITS = r"\d(?:[ \u3000]*+\d){0,2}+(?![ \u3000]*\d)"
SPACED_NUMBER = re.compile(
    r"^(?P<indent>[ \t\u3000]*)(?:(?P<n>\d{1,3}|[一二三四五六七八九十百]{1,4})[ \t\u3000]+(?P<mark>[.．、])"
    rf"|(?P<d>{SPACED_DIGITS})[ \t\u3000]*(?P<dmark>[.．、])(?!\d)"
    rf"|(?P<open>[（(])[ \t\u3000]*(?P<m>{SPACED_DIGITS}|[一二三四五六七八九十百]{{1,4}})[ \t\u3000]*"
    r"(?P<close>[）)]))",
    re.M)
DIGIT_BLANKS = re.compile(r"[ \u3000]+")


def _joined_number(m: re.Match[str]) -> str:
    if m.group("n") is not None:
        return m.group("indent") + m.group("n") + m.group("mark")
    if m.group("d") is not None:
        return m.group("indent") + DIGIT_BLANKS.sub("", m.group("d")) + m.group("dmark")
    return m.group("indent") + m.group("open") + DIGIT_BLANKS.sub("", m.group("m")) + m.group("close")


def join_spaced_numbers(text: str, tally: Tally | None = None) -> str:
    """Remove blanks inside the number that opens a line ("1 .新建" → "1.新建", "（ 一 ）" →
    "（一）") and between its digits ("1 0.新建" → "10.新建", "1 0 .改造" → "10.改造",
    "（ 1 2 ）" → "（12）"), so that a space typed or left by a no-break space never decides
    whether an item is read. Blanks are spaces, tabs and ideographic spaces around the number,
    but only spaces and ideographic spaces between digits, since a tab separates table cells
    ("1\t0." stays). Left alone: a year ("2020 、") and any run of more than three digits ("1 000人",
    "2 0 2 0年"), digits whose mark a digit follows ("1 0.5万"), and a number inside a line
    ("共有 1 0.5万人"). Each number joined counts as one change."""
    matches = (m for m in SPACED_NUMBER.finditer(text) if _joined_number(m) != m.group())
    return _replace(text, matches, _joined_number, tally)


def drop_page_furniture(text: str, tally: Tally | None = None) -> str:
    """Remove whole lines of web furniture: counters, font controls, comment boxes,
    breadcrumbs and the index-number header block of disclosure pages."""
    return _replace(text, _furniture_matches(text), "", tally)


def strip_line_spaces(text: str, tally: Tally | None = None) -> str:
    """Remove indentation and trailing blanks, ideographic (U+3000) and em spaces included."""
    return _replace(text, LINE_SPACES.finditer(text), "", tally)


@cache
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def in_traditional_script(text: str, threshold: float = 0.02) -> bool:
    """Whether a text is written in traditional characters: more than ``threshold`` of its
    Chinese characters change under OpenCC's traditional→simplified conversion."""
    sample = NOT_HAN.sub("", text)
    if not sample:
        return False
    changed = sum(map(ne, sample, _t2s().convert(sample)))
    return changed / len(sample) > threshold


def _first_difference(old: str, new: str) -> tuple[int, int, int]:
    """Where two different strings first differ: ``old[start:old_end]`` became
    ``new[start:new_end]`` (the first run of changed characters when the lengths are equal,
    everything up to the common ending otherwise)."""
    start = next((i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b),
                 min(len(old), len(new)))
    if len(old) == len(new):
        end = next((i for i in range(start, len(old)) if old[i] == new[i]), len(old))
        return start, end, end
    common_end = 0
    while (common_end < min(len(old), len(new)) - start
           and old[-1 - common_end] == new[-1 - common_end]):
        common_end += 1
    return start, len(old) - common_end, len(new) - common_end


def to_simplified(text: str, tally: Tally | None = None) -> str:
    """Convert a document in traditional script to simplified characters (OpenCC t2s);
    a document already in simplified script is left as it is.

    The conversion keeps the lines, so changes are counted line by line: each run of changed
    characters in a line of the same length, or 1 for a line whose length changed."""
    if not in_traditional_script(text):
        return text
    converted = _t2s().convert(text)
    if tally is not None and converted != text:
        old_lines, new_lines = text.split("\n"), converted.split("\n")
        if len(old_lines) != len(new_lines):  # not expected from t2s; count the text as one place
            old_lines, new_lines = [text], [converted]
        for old, new in zip(old_lines, new_lines, strict=True):
            if old == new:
                continue
            count = sum(changed for changed, _ in groupby(map(ne, old, new))) if len(old) == len(new) else 1
            if tally.n:
                tally.n += count
            else:
                start, old_end, new_end = _first_difference(old, new)
                left = max(0, start - CONTEXT)
                tally.add(old[left:old_end + CONTEXT], new[left:new_end + CONTEXT], count)
    return converted


def remove_spaces_in_chinese(text: str, tally: Tally | None = None) -> str:
    """Remove spaces that PDF extraction put between Chinese characters and digits
    ("33 项 民生工程" → "33项民生工程", "技能培 训" → "技能培训"); tabs (table cells) stay."""
    return _replace(text, INNER_SPACES.finditer(text), "", tally)


def fullwidth_punctuation(text: str, tally: Tally | None = None) -> str:
    """Use full-width punctuation inside Chinese text (, : ; ( ) → ， ： ； （ ）); marks between
    digits or Latin letters ("1,000", "9:40") are left alone.

    A mark is read by its neighbours, so one made full-width can make the mark beside it
    Chinese too ("2020:(一)"). After one pass over the text, only the half-width neighbours of
    a changed mark are read again, each against its own neighbours, until none changes: the
    fixed point (cleaning a clean text changes nothing) in time linear in the text, however long
    a run of marks. A change only ever makes a neighbour more Chinese, so the order in which
    they are read again does not matter."""
    changed: list[int] = []

    def full(m: re.Match[str]) -> str:
        changed.append(m.start())
        return HALF_TO_FULL[m.group()]

    text = _replace(text, HALF_PUNCT.finditer(text), full, tally)
    if not changed:
        return text
    chars = list(text)  # every replacement is one character for one: offsets hold

    def half_neighbours(i: int) -> list[int]:
        return [j for j in (i - 1, i + 1) if 0 <= j < len(chars) and chars[j] in HALF_TO_FULL]

    todo = [j for i in changed for j in half_neighbours(i)]
    first, n = None, 0
    while todo:
        i = todo.pop()
        lo = max(0, i - 1)  # every lookaround but the opening "(1)" (found in the first pass)
        if chars[i] in HALF_TO_FULL and HALF_PUNCT.match("".join(chars[lo:i + 2]), i - lo):
            first = i if first is None else first
            chars[i] = HALF_TO_FULL[chars[i]]
            n += 1
            todo += half_neighbours(i)
    if not n:
        return text
    result = "".join(chars)
    if tally is not None:
        tally.add(text[max(0, first - CONTEXT):first + 1 + CONTEXT],
                  result[max(0, first - CONTEXT):first + 1 + CONTEXT], n)
    return result


PINYIN = re.compile(rf"(?<=[{CJK}])[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńň]{{1,8}}[)）]")


def drop_pinyin_annotations(text: str, tally: Tally | None = None) -> str:
    """Remove pinyin that some mirror sites insert after characters ("區(qū)" → "區"): a
    bracketed run of lowercase Latin letters with tone marks right after a Chinese character."""
    return _replace(text, PINYIN.finditer(text), "", tally)


def drop_blank_lines(text: str, tally: Tally | None = None) -> str:
    """One paragraph per line: remove empty lines, end with a single newline.

    Each blank line removed counts as one change (the example shows the first run of them), and
    so does a final newline added."""
    lines = text.split("\n")
    kept = [line for line in lines if line.strip()]
    if tally is not None:
        n_lines = len(lines) - (lines[-1] == "")  # the empty piece after a final newline is no line
        blank = [i for i in range(n_lines) if not lines[i].strip()]
        if blank:
            first = last = blank[0]
            while last + 1 < n_lines and not lines[last + 1].strip():
                last += 1
            above = lines[first - 1][-CONTEXT:] + "\n" if first else ""
            run = "\n".join(lines[first:last + 1]) + ("\n" if last + 1 < len(lines) else "")
            below = lines[last + 1][:CONTEXT] if last + 1 < len(lines) else ""
            tally.add(above + run + below, above + below, len(blank))
        if lines[-1].strip():  # the text did not end with a newline
            tally.add(lines[-1][-CONTEXT:], lines[-1][-CONTEXT:] + "\n")
    return "\n".join(kept) + "\n" if kept else ""


# A heading ends its paragraph, whatever follows: a markdown heading ("## 三、加大宏观政策实施
# 力度，…"), or 一、 (第一部分) opening a short line with no full stop ("一、砥砺前行，书写全面
# 脱贫圆梦小康的精彩篇章"), whose comma is the heading's own.
HEADING_LINE = re.compile(r"^#|^(?:\*\*)?第?[一二三四五六七八九十]{1,3}(?:、|部分)[^。]{0,28}$")


def join_broken_lines(text: str, tally: Tally | None = None) -> str:
    """Join a paragraph that PDF extraction broke across lines: a line that already holds a
    sentence (it has a full-width comma or full stop), stops on a Chinese character, and is
    followed by a line that starts with a Chinese character and no numbering. Table rows
    (lines with tabs) are never joined, and neither is a heading (``HEADING_LINE``: a markdown
    heading, or a short line opened by 一、 with no full stop, whose comma is the heading's own).

    The paragraph being built is kept as a list of lines with what the test needs of it (its
    last character is Chinese, it has ，or 。, it has a tab), so joining a long paragraph line
    by line costs time linear in its length."""
    paragraphs: list[list[str]] = []
    ends_han = has_stop = has_tab = False  # of the last paragraph
    for line in text.split("\n"):
        if (ends_han and has_stop and not has_tab and line and "\t" not in line
                and HAN_CHAR.match(line) and not NUMBER_START.match(line)
                and not (len(paragraphs[-1]) == 1 and HEADING_LINE.match(paragraphs[-1][0]))):
            if tally is not None:
                above = paragraphs[-1][-1][-CONTEXT:]
                tally.add(f"{above}\n{line[:CONTEXT]}", above + line[:CONTEXT])
            paragraphs[-1].append(line)
            has_stop = True
        else:
            paragraphs.append([line])
            has_stop, has_tab = "，" in line or "。" in line, "\t" in line
        ends_han = bool(line) and HAN_CHAR.match(line[-1]) is not None
    return "\n".join("".join(paragraph) for paragraph in paragraphs)


RULES: tuple[Rule, ...] = (
    Rule("drop_invisible_characters", "control, format and filler characters removed; those "
         "that break a line made line breaks", drop_invisible_characters),
    Rule("normalise_characters", "look-alike characters made standard", normalise_characters),
    Rule("join_spaced_numbers", "blanks inside a line's opening number removed",
         join_spaced_numbers),
    # before the furniture is sought: a page in traditional script has its furniture in it too
    Rule("to_simplified", "traditional characters converted to simplified", to_simplified),
    Rule("drop_page_furniture", "web furniture lines removed", drop_page_furniture),
    Rule("strip_line_spaces", "indentation and trailing spaces removed", strip_line_spaces),
    Rule("drop_pinyin_annotations", "pinyin inserted after characters removed",
         drop_pinyin_annotations),
    Rule("fullwidth_punctuation", "half-width punctuation in Chinese text made full-width",
         fullwidth_punctuation),
    Rule("remove_spaces_in_chinese", "spaces between Chinese characters and digits removed",
         remove_spaces_in_chinese),
    Rule("drop_blank_lines", "empty lines removed", drop_blank_lines),
    Rule("join_broken_lines", "paragraphs broken across lines joined", join_broken_lines),
)


def clean(text: str, rules: tuple[Rule, ...] = RULES) -> tuple[str, list[LogEntry]]:
    """Apply the rules in order; return the clean text and one log entry per rule, counted by
    the rule itself as it works."""
    log = []
    for step, rule in enumerate(rules, start=1):
        tally = Tally()
        text = rule.apply(text, tally)
        log.append(LogEntry(step, rule.name, tally.n, tally.example))
    return text, log
