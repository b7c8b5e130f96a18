"""Synthetic RAW corpora: the documents of ``benchmarks/synthetic_reuse.py`` written out as the
files a user would have, for benchmarking the whole build at scale.

``write_corpus(n_documents, out_dir, seed)`` writes ``out_dir/raw/<doc_id>.txt`` (UTF-8) for
every document of ``synthetic_reuse.generate(n_documents, seed)``, ``out_dir/raw/manifest.csv``
(every manifest column, the real SHA-256 of each file) and, outside the raw folder,
``out_dir/expected_items.csv``: the items as they were written (document, position, title,
layout), to check what the segmenter finds against.

Each document gets one of the genre's layouts of the seeds (``data/raw/*.txt``), drawn per
document:

* ``sections_1dot`` — 民生工作要点 (2019-xuancheng, 2020-anhui): domain headings 一、… with the
  items numbered 1. 2. … running on across them;
* ``sections_paren`` — 民生实事实施方案 (2023-bozhou): headings "一、就业促进（3项）" with
  （一） items restarting under each;
* ``flat_1dot`` / ``flat_cn`` — one list of items numbered 1. or 一、 after the preamble;
* ``opinions`` — 实施意见 (2017-fuyang): 一、总体要求 (preamble), 二、主要任务 with （一） items
  whose title stands on a line of its own, 三、保障措施 (procedural);
* ``table_annex`` — 民生工程通知 (2020-taihe): the notice's own sections (new and continued
  projects, requirements), then 附件 and a tab-separated project table whose header repeats
  on every page;
* ``table_body`` — a project table (序号 / 项目名称 / … / 责任单位) in the body itself.

Around them: a title line, a preamble paragraph, a declared count ("今年全市实施N项民生工程",
in most documents), units statements (``（牵头单位：…；配合单位：…）`` and the seeds' other
forms; a seed item without one gets a unit of its domain from the seeds), a closing block,
and for the cleaning rules to work on: web furniture lines (发布时间：… / 【字号：大 中 小】 …),
indentation with ideographic spaces, a few half-width commas and brackets, spaces a PDF
extraction leaves around numbers, paragraphs broken across lines, CRLF line ends.

One adjustment keeps the corpus buildable: the reuse rule calls two items ``same`` on their
titles alone (title similarity >= ``same_title``), but reuse.csv's schema wants aligned spans
for every ``same`` pair, so a pair with similar titles and no aligned text (about 3 at N=50,
100 at N=2000) fails the whole build. Such a later item is made to restate the earlier one's
title (``title_only_pairs``); ``--keep-title-only-pairs`` writes the corpus without that.

Everything is drawn from one ``numpy`` generator seeded with ``seed`` (besides the one
``generate`` uses): the same arguments give the same bytes. Run
``python benchmarks/synthetic_corpus.py --n 50 --out build/synthetic --check`` to build the
corpus with the package and compare the items found per document with those written.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic_reuse import LEVEL_CHAR, _parse, generate  # noqa: E402

from msresearch.genres.lists import lead_units  # noqa: E402
from msresearch.io import inputs, tables  # noqa: E402
from msresearch.link import reuse
from msresearch.link.reuse import read_reuse_params
from msresearch.read.corpus import MANIFEST_COLUMNS  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
LAYOUTS = ("sections_1dot", "sections_paren", "flat_1dot", "flat_cn", "opinions", "table_annex",
           "table_body")
# (layout weights for work_priorities documents, for projects_notice documents)
LAYOUT_WEIGHTS = {"work_priorities": (0.25, 0.2, 0.2, 0.1, 0.1, 0.05, 0.1),
                  "projects_notice": (0.05, 0.05, 0.1, 0.05, 0.0, 0.5, 0.25)}
GENRES = {"sections_1dot": ("work_priorities", "民生工作要点"),
          "sections_paren": ("practical_matters_plan", "民生实事实施方案"),
          "flat_1dot": ("work_priorities", "民生工作要点"),
          "flat_cn": ("practical_matters_plan", "民生实事实施方案"),
          "opinions": ("implementation_opinions", "实施意见"),
          "table_annex": ("projects_notice", "民生工程通知"),
          "table_body": ("practical_matters_plan", "民生实事项目表")}
# Section headings by domain, as the seeds word them (none opens with 新增/完善/提升/继续/调整,
# which with a count "（3项）" would make a status heading).
HEADINGS = {
    "employment": ("稳定和扩大就业", "就业促进", "强化就业创业工作"),
    "education": ("办好公平优质教育", "教育惠民", "办好人民满意的教育"),
    "health": ("推进健康安徽建设", "卫生健康", "大力推进健康事业"),
    "social_insurance": ("做好社会保障工作", "社会保障", "健全社会保险体系"),
    "social_assistance": ("困难群体救助", "加强社会救助", "兜牢民生底线"),
    "care_services": ("养老托育服务", "发展养老服务", "做好一老一小服务"),
    "disability": ("残疾人服务", "关爱残疾人"),
    "housing": ("住房保障", "改善群众居住条件"),
    "public_safety": ("公共安全", "强化公共安全和社会治理"),
    "rural_development": ("乡村振兴", "推进农业农村发展"),
    "environment": ("环境保护", "着力改善生态环境"),
    "infrastructure": ("加强基础设施建设", "城乡建设", "交通出行"),
    "culture_sports": ("文体服务", "推动文化繁荣发展"),
    "poverty_alleviation": ("打好精准脱贫攻坚战", "脱贫攻坚"),
    "governance": ("基层治理", "加强基层社会治理"),
}
OTHER_HEADING = ("其他民生事项",)
NAME_CHARS = ("安和平宁远泰丰阳山川江河湖清德兴华庆临城东西南北新长永定盛昌云桐溪松柏林石金"
              "玉宝凤龙武文明光开元嘉兰青乐康顺福祥瑞通济")
UNIT_STYLES = 5
TABLE_HEADERS = (("序号", "项目名称", "目标任务", "责任单位"),
                 ("序号", "项目", "建设内容", "牵头单位", "配合单位"),
                 ("序号", "民生实事", "主要内容", "责任单位", "完成时限"))
SAFEGUARDS = ("加强组织领导。各地各部门要把民生工作摆上重要位置，主要负责同志亲自抓、负总责。",
              "强化资金保障。各级财政要优化支出结构，足额安排民生工作所需资金。",
              "严格督查考核。将民生工作纳入目标管理绩效考核，定期调度通报进展情况。")
CN_DIGITS = "零一二三四五六七八九"
HAN = "\u4e00-\u9fff"
_NUMBERED_LINE = re.compile(r"^\s*(?:\d{1,2}[.．、]|[（(]\d{1,2}[）)]|[①-⑳]"
                            r"|[（(][一二三四五六七八九十]{1,3}[）)]|[一二三四五六七八九十]{1,3}、)\s*")
_INLINE_NUMBER = re.compile(r"(?<=[。；;：:！!？?])\s*\d{1,2}[.．、](?!\d)")
_TRAILING = "，,；;：:、。 \t"


def cn_numeral(n: int) -> str:
    """1 → 一, 12 → 十二, 45 → 四十五 (1–99), as printed numbers are written."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


@dataclass
class Rendered:
    """One item ready to be laid out: a short title, its text as one paragraph, its units."""

    title: str  # short, brackets balanced: a heading or a table cell
    sentence: str  # the item's text as one paragraph (title and body), units excluded
    body: str  # the text after the title, for a table's content column
    lead: tuple[str, ...]
    partners: tuple[str, ...]
    domain: str


def _balanced_prefix(text: str) -> str:
    """The text cut before its first bracket left open."""
    depth, cut = 0, None
    for i, ch in enumerate(text):
        if ch in "（(":
            if depth == 0:
                cut = i
            depth += 1
        elif ch in "）)":
            depth = max(0, depth - 1)
    return text[:cut] if depth and cut is not None else text


def _flatten(body: str) -> str:
    """A body of several lines or table cells as one paragraph: sub-numbering dropped, cells
    joined by commas, ending with a full stop."""
    parts = []
    for line in body.split("\n"):
        cells = [c.strip() for c in line.split("\t") if c.strip()]
        if not cells:
            continue
        text = _NUMBERED_LINE.sub("", "，".join(cells))
        if text:
            parts.append(text if text[-1] in "。；：:;，" else text + "。")
    text = _INLINE_NUMBER.sub("", "".join(parts)).strip(_TRAILING)
    return text + "。" if text else ""


def _unit_pools() -> dict[str, list[str]]:
    """Lead units of the seeds' items by domain, with the level character stripped."""
    seeds = inputs.read_table("items.csv")
    seeds = seeds[~seeds["procedural"].astype(bool)].sort_values("item_id")
    pools: dict[str, list[str]] = {}
    for domain, units in zip(seeds["domain"], seeds["lead_units"].fillna(""), strict=True):
        for unit in units.split("; "):
            if len(unit) > 2 and unit[0] in "省市县":
                pools.setdefault(domain, [])
                if unit[1:] not in pools[domain]:
                    pools[domain].append(unit[1:])
    every = sorted({u for units in pools.values() for u in units})
    return {**pools, "": every}


def _relevel_unit(unit: str, level: str) -> str:
    """A unit's name moved to a level: "市教育局" → "县教育局"."""
    return LEVEL_CHAR[level] + unit[1:] if len(unit) > 2 and unit[0] in "省市县" else unit


def render_item(title: str, text: str, domain: str, level: str, pools: dict[str, list[str]],
                rng: np.random.Generator) -> Rendered:
    """A generated item split into title, one-paragraph text and units; an item whose seed
    named no units gets a lead unit (and maybe a partner) of its domain."""
    item = _parse(title, text, domain)
    lead, partners = lead_units(item.units) if item.units else ((), ())
    lead = tuple(u for u in lead if u)
    partners = tuple(u for u in partners if u and u not in lead)
    if not lead:
        pool = pools.get(domain) or pools[""]
        lead = (_relevel_unit("市" + pool[int(rng.integers(len(pool)))], level),)
        if rng.random() < 0.4:
            other = pools[""][int(rng.integers(len(pools[""])))]
            partners = tuple(u for u in (_relevel_unit("市" + other, level),) if u not in lead)
    short = _balanced_prefix(re.sub(r"\s+", "", item.title)).strip(_TRAILING)
    body = _flatten(item.body)
    if item.sep in ("，", ",") and short == item.title.strip():  # the title is the first clause
        sentence = f"{short}，{body}" if body else f"{short}。"
    else:
        sentence = f"{short}。{body}" if body else f"{short}。"
    if len(short) > 40:  # too long for a heading line
        short = re.split(r"[，、（(]", short)[0][:30]
    if not short:
        short = re.split(r"[，。；、（(]", body)[0][:30] or "民生实事"
        sentence = body
    return Rendered(short, sentence, body or sentence, lead, partners, domain)


def units_statement(it: Rendered, style: int) -> str:
    """The item's units in one of the seeds' forms (style 4: on a line of its own)."""
    lead, partners = "、".join(it.lead), "、".join(it.partners)
    if style == 0:
        return f"（牵头单位：{lead}；配合单位：{partners}）" if partners else f"（牵头单位：{lead}）"
    if style == 1:
        return (f"（牵头责任单位：{lead}，协同责任单位：{partners}）" if partners
                else f"（牵头责任单位：{lead}）")
    if style == 2:
        return f"（牵头单位：{lead}；责任单位：{partners}）" if partners else f"（责任单位：{lead}）"
    if style == 3:
        return f"（{lead}牵头，{partners}配合）" if partners else f"（{lead}负责）"
    return f"\n牵头单位：{lead}" + (f"；配合单位：{partners}" if partners else "")


@dataclass
class Style:
    """How one document is written down, besides its layout."""

    units: int
    indent: str
    web: bool  # web furniture around the text
    pdf: bool  # spaces around numbers, paragraphs broken across lines
    half_width: bool  # a few half-width commas, half-width brackets in numbering
    crlf: bool
    declared: int  # 0: no declared count, 1: Arabic numerals, 2: Chinese numerals


def _names(units: list[str], rng: np.random.Generator) -> dict[str, str]:
    """A distinct Chinese name for every unit: two characters, three when two-character names
    run short."""
    out: dict[str, str] = {}
    used: set[str] = set()
    for unit in units:
        tries = 0
        while True:
            size = 2 if tries < 50 else 3
            picked = rng.choice(len(NAME_CHARS), size=size, replace=False).tolist()
            name = "".join(NAME_CHARS[k] for k in picked)
            tries += 1
            if name not in used:
                used.add(name)
                out[unit] = name
                break
    return out


def _commas(text: str, rng: np.random.Generator, share: float = 0.15) -> str:
    """Some full-width commas between Chinese characters made half-width, as pasted text has."""
    def repl(m: re.Match) -> str:
        """The comma made half-width with probability ``share``."""
        return "," if rng.random() < share else m.group()
    return re.sub(rf"(?<=[{HAN}])，(?=[{HAN}])", repl, text)


def _pdf_spaces(text: str) -> str:
    """Spaces around numbers between Chinese characters, as PDF extraction leaves them."""
    return re.sub(rf"(?<=[{HAN}])(\d+)(?=[{HAN}])", r" \1 ", text)


def _break_line(text: str, rng: np.random.Generator) -> str:
    """A paragraph broken once across lines, as PDF extraction breaks it (after a sentence has
    begun, between two Chinese characters, never before a numeral)."""
    first = min((i for i in (text.find("，"), text.find("。")) if i >= 0), default=-1)
    if first < 0:
        return text
    spots = [i for i in range(first + 2, len(text) - 1)
             if re.match(f"[{HAN}]", text[i - 1]) and re.match(f"[{HAN}]", text[i])
             and text[i] not in "一二三四五六七八九十第"]
    if not spots:
        return text
    i = spots[int(rng.integers(len(spots)))]
    return text[:i] + "\n\n" + text[i:]


class _Doc:
    """Builds one document's lines."""

    def __init__(self, meta: dict, items: list[Rendered], style: Style,
                 rng: np.random.Generator) -> None:
        """A document of ``meta`` (year, level, names …) with its items, written in ``style``."""
        self.meta, self.items, self.style, self.rng = meta, items, style, rng
        self.lines: list[str] = []

    # -- pieces shared by the layouts
    def para(self, text: str, indent: bool = True) -> None:
        """A paragraph (indented as the style says) and a blank line."""
        self.lines.append((self.style.indent if indent else "") + text)
        self.lines.append("")

    def item_text(self, it: Rendered, prefix: str) -> str:
        """An item as one paragraph after its printed number, with its units statement."""
        sentence = _commas(it.sentence, self.rng) if self.style.half_width else it.sentence
        if self.style.pdf:
            sentence = _pdf_spaces(sentence)
            if self.rng.random() < 0.3:
                sentence = _break_line(sentence, self.rng)
        return prefix + sentence + units_statement(it, self.style.units)

    def count_phrase(self, n: int) -> str:
        """A count in Arabic or Chinese numerals, as the style says."""
        return str(n) if self.style.declared != 2 else cn_numeral(n)

    def declared_sentence(self) -> str:
        """The sentence before the list: a declared count in one of four wordings, or none."""
        m, n = self.meta, len(self.items)
        if not self.style.declared:
            return f"现将{m['year']}年{m['scope']}民生工作要点印发如下："
        k = int(self.rng.integers(4))
        count = self.count_phrase(n)
        return (f"今年{m['scope']}实施{count}项民生工程，具体如下：",
                f"{m['year']}年，{m['our']}将集中办好{count}件民生实事。具体安排如下：",
                f"经研究，确定{m['year']}年{m['scope']}{count}项民生实事项目，现印发如下：",
                f"{m['year']}年{m['our']}实施{count}项民生工程。现就有关事项通知如下：")[k]

    def header(self, title: str) -> None:
        """Web furniture or a PDF's letterhead, the title, document number and addressees."""
        m, rng = self.meta, self.rng
        if self.style.web:
            if rng.random() < 0.5:
                self.lines.append(f"网站首页 > 信息公开 > {m['issuer']}信息公开 > 信息浏览")
            self.lines.append(title)
            self.lines.append("")
            clock = f"{int(rng.integers(8, 18)):02d}:{int(rng.integers(60)):02d}"
            self.lines.append(f"访问次数：{int(rng.integers(10, 9999))} 信息来源：{m['unit_zh']}民生网 "
                              f"发布时间：{m['posted']} {clock}")
            self.lines.append("【字号：大 中 小】" if rng.random() < 0.5 else "[ 字体:]")
            self.lines.append("")
        else:
            if self.style.pdf:
                self.lines += ["", f"{m['issuer']}文件", ""]
            self.lines += [_pdf_spaces(title) if self.style.pdf else title, ""]
        if m["doc_number"]:
            self.para(m["doc_number"], indent=False)
        addressee = {"province": "各市、县人民政府，省政府各部门、各直属机构：",
                     "city": "各县、市、区人民政府，市政府各部门、各直属机构：",
                     "county": "各乡镇人民政府，经济开发区管委会，县直各单位："}[m["level"]]
        if self.style.half_width:
            addressee = addressee.replace("，", ",").replace("：", ":")
        self.para(addressee, indent=False)

    def preamble(self) -> None:
        """The paragraph on the year's general requirements (citing the parent's notice)."""
        m = self.meta
        parent = (f"按照《{m['parent_zh']}关于{m['year']}年实施{int(self.rng.integers(20, 60))}项民生工程的"
                  f"通知》（{m['parent_zh'][0]}政〔{m['year']}〕{int(self.rng.integers(1, 40))}号）要求，"
                  if m["parent_zh"] else "")
        text = (f"{m['year']}年是全面建成小康社会的关键之年。{m['scope']}民生工作的总体要求是：以习近平新时代"
                f"中国特色社会主义思想为指导，坚持以人民为中心的发展思想，{parent}坚守底线、突出重点，"
                f"完善制度、引导预期，统筹做好各项民生工作，不断满足人民日益增长的美好生活需要。")
        if self.style.half_width:
            text = _commas(text, self.rng, 0.3)
        self.para(text)

    def closing(self) -> None:
        """Issuer and date, sometimes a 抄送 line, and the page's footer on a web page."""
        m = self.meta
        self.lines += ["", m["issuer"], m["date_zh"], ""]
        if self.rng.random() < 0.3:
            self.lines += [f"抄送：{m['unit_zh']}委办公室，{m['unit_zh']}人大常委会办公室。", ""]
        if self.style.web:
            self.lines += ["扫一扫在手机打开当前页", "打印本页 关闭窗口", ""]

    def procedural_section(self, number: str) -> None:
        """A 保障措施 section with three numbered safeguards (procedural, not items)."""
        self.para(f"{number}保障措施")
        for k, text in enumerate(SAFEGUARDS, 1):
            self.para(f"（{cn_numeral(k)}）{text}")

    def sections(self) -> list[tuple[str, list[Rendered]]]:
        """The items grouped by domain, in order of first appearance, with a heading each."""
        groups: dict[str, list[Rendered]] = {}
        for it in self.items:
            groups.setdefault(it.domain, []).append(it)
        out = []
        for domain, items in groups.items():
            options = HEADINGS.get(domain, OTHER_HEADING)
            out.append((options[int(self.rng.integers(len(options)))], items))
        return out

    # -- the layouts
    def sections_1dot(self) -> list[Rendered]:
        """Domain headings 一、 with items 1. 2. … running on across them; the items in order."""
        m = self.meta
        self.header(f"{m['issuer']}关于印发{m['year']}年{m['scope']}民生工作要点的通知")
        self.para(f"《{m['year']}年{m['scope']}民生工作要点》已经{m['level_zh']}政府同意，现印发给你们，"
                  "请结合实际，认真贯彻执行。")
        self.lines += [self.style.indent + m["issuer"], self.style.indent + m["date_zh"], ""]
        self.para(f"{m['year']}年{m['scope']}民生工作要点", indent=False)
        self.preamble()
        self.para(self.declared_sentence())
        k, order = 0, []
        groups = self.sections()
        for s, (heading, items) in enumerate(groups, 1):
            self.para(f"{cn_numeral(s)}、{heading}")
            for it in items:
                k += 1
                self.para(self.item_text(it, f"{k}."))
                order.append(it)
        if self.rng.random() < 0.4:
            self.procedural_section(f"{cn_numeral(len(groups) + 1)}、")
        self.closing()
        return order

    def sections_paren(self) -> list[Rendered]:
        """Headings "一、就业促进（3项）" with （一） items under each; the items in order."""
        m = self.meta
        n = self.count_phrase(len(self.items))
        self.header(f"{m['issuer']}关于印发{m['unit_zh']}{m['year']}年{n}项民生实事实施方案的通知")
        self.para(f"《{m['unit_zh']}{m['year']}年{n}项民生实事实施方案》已经{m['level_zh']}政府同意，"
                  "现印发给你们，请结合实际认真贯彻落实。")
        self.para(m["date_zh"])
        self.para(f"{m['unit_zh']}{m['year']}年{n}项民生实事实施方案", indent=False)
        if self.style.declared:
            self.para(self.declared_sentence())
        order = []
        for s, (heading, items) in enumerate(self.sections(), 1):
            self.para(f"{cn_numeral(s)}、{heading}（{len(items)}项）")
            for k, it in enumerate(items, 1):
                number = f"({cn_numeral(k)})" if self.style.half_width else f"（{cn_numeral(k)}）"
                self.para(self.item_text(it, number))
                order.append(it)
        self.closing()
        return order

    def flat(self, chinese: bool) -> list[Rendered]:
        """One list of items numbered 一、 (``chinese``) or 1.; the items in order."""
        m = self.meta
        n = self.count_phrase(len(self.items))
        title = (f"{m['issuer']}关于{m['year']}年{m['scope']}{n}项民生实事的通知" if self.style.declared
                 else f"{m['issuer']}关于做好{m['year']}年民生工作的通知")
        self.header(title)
        self.preamble()
        self.para(self.declared_sentence())
        for k, it in enumerate(self.items, 1):
            self.para(self.item_text(it, f"{cn_numeral(k)}、" if chinese else f"{k}."))
        self.para("各地各部门要加强组织领导，明确责任分工，确保各项民生工作落到实处。")
        self.closing()
        return list(self.items)

    def opinions(self) -> list[Rendered]:
        """总体要求, 主要任务 with （一） items titled on lines of their own, 保障措施."""
        m = self.meta
        self.header(f"{m['issuer']}关于扎实推进民生工作的实施意见")
        self.para(f"为深入贯彻落实保障和改善民生各项决策部署，扎实推进{m['our']}民生工作，结合实际，"
                  "制定以下实施意见：")
        self.para("一、总体要求")
        self.para("（一）指导思想")
        self.preamble()
        self.para("（二）基本原则")
        self.para("——坚持目标引领、统筹发展。切实把兜住底线、扶持发展、共享福利的目标要求贯穿到民生工作的全过程。")
        self.para("——坚持聚焦短板、精准突破。突出问题导向，找准民生领域短板，精准发力突破。")
        if self.style.declared:
            self.para(f"今后一个时期，{m['our']}将集中实施{self.count_phrase(len(self.items))}项民生工程。")
        self.para("二、主要任务")
        for k, it in enumerate(self.items, 1):
            number = f"({cn_numeral(k)})" if self.style.half_width else f"（{cn_numeral(k)}）"
            self.para(f"{number}{it.title}")
            units = units_statement(it, self.style.units)
            self.para((_commas(it.sentence, self.rng) if self.style.half_width else it.sentence) + units)
        self.procedural_section("三、")
        self.closing()
        return list(self.items)

    def table(self, annex: bool) -> list[Rendered]:
        """A tab-separated project table, in an attachment of a notice (``annex``, its header
        repeated on every page) or in the body; the items in order."""
        m, rng = self.meta, self.rng
        n = len(self.items)
        count = self.count_phrase(n)
        table_title = f"{m['unit_zh']}{m['year']}年{count}项民生工程目标任务"
        columns = TABLE_HEADERS[int(rng.integers(len(TABLE_HEADERS)))]
        if annex:
            self.header(f"{m['issuer']}关于{m['year']}年实施{count}项民生工程的通知")
            self.preamble()
            self.para(self.declared_sentence())
            k_new = min(n, int(rng.integers(2, 6)))
            self.para(f"一、新增{k_new}项民生工程")
            for k, it in enumerate(self.items[:k_new], 1):
                self.para(f"（{cn_numeral(k)}）{it.title}。{it.body[:60].rstrip(_TRAILING)}。")
            if n > k_new:
                self.para(f"二、继续实施{n - k_new}项民生工程")
                names = "、".join(it.title.replace("、", "和") for it in self.items[k_new:])
                self.para(f"继续实施{names}等{n - k_new}项民生工程。")
            self.para(f"{'三' if n > k_new else '二'}、工作要求")
            self.para("（一）时间节点要把握。各单位要按照目标任务，倒排工期，确保按时完成。")
            self.para("（二）责任分工要明确。各牵头单位要切实履行职责，加强协调配合。")
            self.para(f"附件：{table_title}表")
            self.closing()
            self.lines += ["附件", "", _pdf_spaces(table_title) if self.style.pdf else table_title, ""]
        else:
            title = f"{m['issuer']}关于印发{m['year']}年{m['scope']}民生实事项目的通知"
            self.header(title)
            self.preamble()
            self.para(self.declared_sentence())
            self.lines += [table_title, ""]
        page = int(rng.integers(6, 12))
        self.lines.append("\t".join(columns))
        for k, it in enumerate(self.items, 1):
            if annex and k > 1 and (k - 1) % page == 0:  # a page break: the header repeats
                self.lines += ["", "\t".join(columns)]
            body = _commas(it.body, rng) if self.style.half_width else it.body
            cells = [str(k), it.title, body]
            if "牵头单位" in columns:
                cells += ["、".join(it.lead), "、".join(it.partners)]
            else:
                cells.append("、".join(it.lead + it.partners))
            if "完成时限" in columns:
                cells.append(f"{m['year']}年{int(rng.integers(6, 13))}月底")
            self.lines.append("\t".join(cells))
        self.lines.append("")
        if not annex:
            self.para("各责任单位要细化工作方案，加强协调配合，确保民生实事项目按期完成。")
            self.closing()
        elif self.style.web:
            self.lines += ["扫一扫在手机打开当前页", ""]
        return list(self.items)

    def render(self, layout: str) -> tuple[str, list[Rendered]]:
        """The document's text in a layout, and its items in the order written."""
        order = {"sections_1dot": self.sections_1dot, "sections_paren": self.sections_paren,
                 "flat_1dot": lambda: self.flat(False), "flat_cn": lambda: self.flat(True),
                 "opinions": self.opinions, "table_annex": lambda: self.table(True),
                 "table_body": lambda: self.table(False)}[layout]()
        text = "\n".join(self.lines).rstrip("\n") + "\n"
        if self.style.crlf:
            text = text.replace("\n", "\r\n")
        return text, order


def _style(layout: str, rng: np.random.Generator) -> Style:
    """A document's writing style, drawn (a table notice always declares its count)."""
    indent = ("　　", "  ", "")[int(rng.choice(3, p=(0.4, 0.2, 0.4)))]
    web = bool(rng.random() < 0.5)
    return Style(units=int(rng.integers(UNIT_STYLES)), indent=indent, web=web,
                 pdf=not web and bool(rng.random() < 0.5), half_width=bool(rng.random() < 0.5),
                 crlf=bool(rng.random() < 0.1),
                 declared=0 if layout not in ("table_annex", "sections_paren") and rng.random() < 0.2
                 else (2 if rng.random() < 0.2 else 1))


def _date_zh(date: str) -> str:
    """"2020-04-08" → "2020年4月8日"."""
    y, mo, d = (int(x) for x in date.split("-"))
    return f"{y}年{mo}月{d}日"


def _compared(it: Rendered, layout: str) -> tuple[str, str]:
    """An item's title and text as the build's reuse comparison sees them: the title the
    segmenter reads, the text without unit statements (a table row keeps its unit cells)."""
    if layout.startswith("table"):
        title, text = it.title, it.title + it.body + "".join(it.lead + it.partners)
    elif layout == "opinions":
        title, text = it.title, it.title + it.sentence
    else:
        title, text = re.split(r"[。；，：;:,]", it.sentence, maxsplit=1)[0], it.sentence
    return reuse.normalise(title).text, reuse.normalise(text).text


def _aligned(a: str, b: str, min_block: int, seen: dict[tuple[str, str], bool]) -> bool:
    """Whether two normalised texts share a run the reuse alignment keeps, in either order."""
    key = (a, b) if a <= b else (b, a)
    if key not in seen:
        seen[key] = bool(reuse._blocks(a, b, min_block)) and bool(reuse._blocks(b, a, min_block))
    return seen[key]


def title_only_pairs(docs: list[dict], fix: bool = True) -> int:
    """Pairs of items of two documents under one top unit whose titles alone make them
    ``same`` for the reuse rule (title similarity >= ``same_title``) while their texts share
    no aligned run, so that the pair has no spans. The build's reuse.csv schema rejects such
    a pair and the whole build fails (see ``main``'s ``--keep-title-only-pairs``). With
    ``fix``, the later item restates the earlier one's title (and, if that is not enough, its
    text), until there are none; returns how many items were changed (or pairs found)."""
    from rapidfuzz import fuzz, process

    params = read_reuse_params()
    seen: dict[tuple[str, str], bool] = {}
    changed = 0
    by_tree: dict[str, list[dict]] = {}
    for d in docs:
        by_tree.setdefault(d["tree"], []).append(d)
    for tree in sorted(by_tree):
        for _ in range(10):
            entries = [(k, it, *_compared(it, d["layout"]))
                       for k, d in enumerate(by_tree[tree]) for it in d["items"]]
            titles = sorted({e[2] for e in entries if e[2]})
            title_id = {t: i for i, t in enumerate(titles)}
            members: dict[int, list[int]] = {}
            for n, e in enumerate(entries):
                if e[2]:
                    members.setdefault(title_id[e[2]], []).append(n)
            sims = process.cdist(titles, titles, scorer=fuzz.partial_ratio, dtype=np.uint8,
                                 score_cutoff=params.same_title, workers=-1)
            bad: dict[int, int] = {}  # later entry → earlier entry
            for u, v in zip(*np.nonzero(np.triu(sims) >= params.same_title), strict=True):
                for x in members[int(u)]:
                    for y in members[int(v)]:
                        a, b = min(x, y), max(x, y)
                        if (a != b and entries[a][0] != entries[b][0] and b not in bad
                                and not _aligned(entries[a][3], entries[b][3], params.min_block, seen)):
                            bad[b] = a
            if not fix or not bad:
                changed += len(bad) if not fix else 0
                break
            for b, a in sorted(bad.items()):
                later, earlier = entries[b][1], entries[a][1]
                if later.title != earlier.title:
                    later.title = earlier.title
                    later.sentence = f"{earlier.title}。{later.body}"
                else:  # the same title is not enough: the earlier item restated whole
                    later.sentence, later.body = earlier.sentence, earlier.body
                changed += 1
    return changed


def _top_units(documents: pd.DataFrame) -> dict[str, str]:
    """Each unit's top unit, up the parent chain."""
    parent = dict(zip(documents["unit_en"], documents["parent_unit_en"], strict=True))
    out = {}
    for unit in documents["unit_en"]:
        top = unit
        while isinstance(parent.get(top), str) and parent[top] in parent:
            top = parent[top]
        out[unit] = top
    return out


def plan_corpus(n_documents: int, seed: int, rng: np.random.Generator) -> list[dict]:
    """Each document of the corpus, not yet written: its manifest facts, layout, style and
    rendered items (``write_corpus`` writes them)."""
    documents, items = generate(n_documents, seed)
    pools = _unit_pools()
    names = _names(documents["unit_en"].tolist(), rng)
    zh = {u: names[u] + {"province": "省", "city": "市", "county": "县"}[lv]
          for u, lv in zip(documents["unit_en"], documents["level"], strict=True)}
    tops = _top_units(documents)
    by_doc = {d: g for d, g in items.groupby("doc_id", sort=False)}
    out = []
    for doc in documents.to_dict("records"):
        level, unit = doc["level"], doc["unit_en"]
        layout = LAYOUTS[int(rng.choice(len(LAYOUTS), p=LAYOUT_WEIGHTS[doc["genre"]]))]
        style = _style(layout, rng)
        mine = by_doc[doc["doc_id"]]
        rendered = [render_item(t, x, d, level, pools, rng)
                    for t, x, d in zip(mine["title"], mine["text"], mine["domain"], strict=True)]
        char = LEVEL_CHAR[level]
        issuer = (f"{zh[unit]}人民政府", f"{zh[unit]}人民政府办公室",
                  f"{zh[unit]}民生工作领导小组办公室")[int(rng.integers(3))]
        date = doc["date"]
        posted = (pd.Timestamp(date) + pd.Timedelta(days=int(rng.integers(1, 15)))).strftime("%Y-%m-%d")
        number = (f"{zh[unit][0]}政{'办' if '办公室' in issuer else ''}〔{doc['year']}〕"
                  f"{int(rng.integers(1, 120))}号") if rng.random() < 0.7 else ""
        parent = doc["parent_unit_en"] if isinstance(doc["parent_unit_en"], str) else ""
        meta = {"year": doc["year"], "level": level, "unit_zh": zh[unit], "issuer": issuer,
                "scope": f"全{char}", "our": f"我{char}", "level_zh": char, "doc_number": number,
                "date_zh": _date_zh(date), "posted": posted, "parent_zh": zh.get(parent, "")}
        out.append({"doc": doc, "layout": layout, "style": style, "items": rendered, "meta": meta,
                    "tree": tops[unit], "parent": parent})
    return out


def write_corpus(n_documents: int, out_dir: Path, seed: int = 0,
                 keep_title_only_pairs: bool = False) -> Path:
    """Write the raw files, ``raw/manifest.csv`` and ``expected_items.csv`` of a synthetic corpus
    of ``n_documents`` under ``out_dir`` (module docstring); return the raw folder.

    Unless ``keep_title_only_pairs``, items that the reuse rule would call ``same`` on their
    titles alone, with no text to align, are made to restate each other (``title_only_pairs``)."""
    out_dir = Path(out_dir)
    raw = out_dir / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    docs = plan_corpus(n_documents, seed, rng)
    if not keep_title_only_pairs:
        title_only_pairs(docs, fix=True)
    rows, expected = [], []
    for k, d in enumerate(docs):
        doc, layout, style, meta = d["doc"], d["layout"], d["style"], d["meta"]
        text, order = _Doc(meta, d["items"], style, rng).render(layout)
        data = text.encode("utf-8")
        file = f"{doc['doc_id']}.txt"
        (raw / file).write_bytes(data)
        genre, genre_zh = GENRES[layout]
        furniture = "web page" if style.web else ("PDF extraction" if style.pdf else "plain text")
        rows.append({"doc_id": doc["doc_id"], "file": file,
                     "source_name": f"{k:03d}_{hashlib.sha256(file.encode()).hexdigest()[:16]}.txt",
                     "level": doc["level"], "unit_zh": meta["unit_zh"], "unit_en": doc["unit_en"],
                     "parent_unit_en": d["parent"], "issuer": meta["issuer"],
                     "doc_number": meta["doc_number"], "genre": genre, "genre_zh": genre_zh,
                     "date": doc["date"], "posted": meta["posted"] if style.web else "",
                     "year": str(doc["year"]), "period_start": str(doc["year"]),
                     "period_end": str(doc["year"]), "sha256": hashlib.sha256(data).hexdigest(),
                     "notes": f"synthetic ({layout}, {furniture}, {len(order)} items)"})
        expected += [{"doc_id": doc["doc_id"], "position": p, "layout": layout, "title": it.title,
                      "domain": it.domain} for p, it in enumerate(order, 1)]
    manifest = pd.DataFrame(rows, columns=list(MANIFEST_COLUMNS))
    (raw / "manifest.csv").write_bytes(tables.table_bytes(manifest))
    (out_dir / "expected_items.csv").write_bytes(tables.table_bytes(pd.DataFrame(expected)))
    return raw


def compare(out_dir: Path, processed: Path | None = None) -> pd.DataFrame:
    """Per document: its layout, the items written and the items the build found (from
    ``processed/documents.csv``), and whether the counts match."""
    out_dir = Path(out_dir)
    processed = Path(processed) if processed else out_dir / "processed"
    expected = pd.read_csv(out_dir / "expected_items.csv")
    written = expected.groupby("doc_id").agg(layout=("layout", "first"), written=("position", "size"))
    found = inputs.read_table("documents.csv", processed).set_index("doc_id")["found_items"]
    frame = written.join(found.rename("found"), how="left")
    frame["found"] = frame["found"].fillna(0).astype(int)
    frame["match"] = frame["written"] == frame["found"]
    return frame.reset_index()


def main() -> None:
    """Write a corpus; with --check, build it and compare the items found with those written."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=50, help="documents (default 50)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "synthetic",
                        help="folder for raw/ (and processed/ with --check)")
    parser.add_argument("--check", action="store_true",
                        help="build the corpus into OUT/processed and compare the items found")
    parser.add_argument("--keep-title-only-pairs", action="store_true",
                        help="leave pairs of items that are 'same' on their titles alone, with no "
                             "aligned text (the build's reuse.csv schema rejects them)")
    args = parser.parse_args()
    raw = write_corpus(args.n, args.out, args.seed, args.keep_title_only_pairs)
    print(f"wrote {args.n} documents to {raw}")
    if not args.check:
        return
    command = [sys.executable, "-m", "msresearch", "build", "--raw", str(raw), "--manifest",
               str(raw / "manifest.csv"), "--out", str(args.out / "processed")]
    helptext = subprocess.run(command[:4] + ["--help"], capture_output=True, text=True, cwd=ROOT).stdout
    if "--cache" in helptext:  # a cache of its own, not the project's
        command += ["--cache", str(args.out / "cache")]
    subprocess.run(command, check=True, cwd=ROOT, stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    frame = compare(args.out)
    print(f"item counts match in {frame['match'].sum()} of {len(frame)} documents "
          f"({frame['match'].mean():.1%})")
    print(frame.groupby("layout")["match"].agg(["sum", "size"]).to_string())
    bad = frame[~frame["match"]]
    if len(bad):
        print(bad.to_string(index=False))


if __name__ == "__main__":
    main()
