"""One test per layout the segmenter reads: numbering styles, inline enumerations, tables,
units, declared counts and the item-level decision, each on a small hand-made text."""

from __future__ import annotations

import pytest

from msresearch.genres.lists import lead_units, segment
from msresearch.genres.lists.declared import declared_in_heading, declared_total
from msresearch.genres.lists.numbering import numeral
from msresearch.read.clean import clean


def _seg(text: str):
    clean_text, _ = clean(text)
    seg = segment(clean_text)
    return seg, [(it.printed_number, clean_text[it.start:it.end]) for it in seg.items]


def test_an_item_whose_text_starts_with_a_digit_is_decided_by_the_sequence():
    seg, items = _seg("一、教育\n1.新建幼儿园5所。\n2.30所学校完成改造。\n3.新增学位1000个。\n")
    assert [n for n, _ in items] == ["1.", "2.", "3."]
    assert items[1][1].startswith("30所学校")
    # a line that begins "1.5万人" where no 1. is due is text, not a new item
    seg, items = _seg("一、就业\n1.新增就业。全年新增\n1.5万人次培训。\n2.开展培训。\n")
    assert [n for n, _ in items] == ["1.", "2."]


@pytest.mark.parametrize("marks", [("1、", "2、", "3、"), ("1。", "2。", "3。"), ("（1）", "（2）", "（3）"),
                                   ("①", "②", "③"), ("第一件：", "第二件：", "第三件："),
                                   ("礼包1：", "礼包2：", "礼包3："), ("民生实事之一：", "民生实事之二：",
                                                                 "民生实事之三：")])
def test_numbering_styles(marks):
    text = "".join(f"{m}新建项目{k}个，惠及群众。\n" for k, m in enumerate(marks, start=5))
    seg, items = _seg("2024年民生实事\n" + text)
    assert [n for n, _ in items] == list(marks)
    assert [t[:6] for _, t in items] == ["新建项目5个", "新建项目6个", "新建项目7个"]


@pytest.mark.parametrize("paragraph", [
    "今年将办好三件实事：一是新建幼儿园；二是改造老旧小区；三是建设养老食堂。",
    "今年将办好三件实事：（1）新建幼儿园；（2）改造老旧小区；（3）建设养老食堂。",
    "今年将办好三件实事：①新建幼儿园；②改造老旧小区；③建设养老食堂。",
])
def test_enumerations_inside_one_paragraph(paragraph):
    seg, items = _seg(paragraph + "\n")
    assert [t[:4] for _, t in items] == ["新建幼儿", "改造老旧", "建设养老"]
    assert seg.declared[0].declared == 3 and seg.declared[0].found == 3


def test_flat_list_heading_and_paragraph_is_one_item():
    seg, items = _seg("一、新建学校\n新建中小学3所。\n二、改造道路\n改造道路10公里。\n")
    assert items == [("一、", "新建学校\n新建中小学3所。"), ("二、", "改造道路\n改造道路10公里。")]


def test_a_gap_in_numbering_is_reported_not_hidden():
    seg, items = _seg("1.新建学校3所。\n2.改造道路。\n4.建设食堂。\n")
    assert len(items) == 3
    assert seg.numbering_gaps == ("1.#2→4.",)


def test_tables_delimited_one_cell_per_line_and_run_together():
    pipes = "序号|项目名称|建设内容|牵头单位\n1|新建幼儿园|新建5所|县教育局\n2|改造道路|改造10公里|县交通局\n"
    vertical = "序號 |\n項目名稱 |\n責任單位 |\n1 |\n新建幼兒園 |\n縣教育局 |\n2 |\n改造道路 |\n縣交通局 |\n"
    run = "序号项目名称主要内容牵头单位1新建幼儿园新建5所幼儿园。县教育局2改造道路改造10公里道路。县交通局\n"
    for text in (pipes, vertical, run):
        seg, items = _seg(text)
        assert seg.item_level == "table", text
        assert [n for n, _ in items] == ["1", "2"], text
        assert [it.lead_units for it in seg.items] == [("县教育局",), ("县交通局",)], text


def test_table_rows_short_of_cells_are_aligned_on_their_units():
    """A row whose two first columns were merged, and a row with an extra sub-project cell:
    the cell that names organisations goes to the units column either way."""
    text = ("序号\n主要任务\n全年目标\n分管领导\n牵头单位\n协同单位\n"
            "1\n新建幼儿园5所。\n张三\n县教育局\n县财政局\n"
            "2\n改造道路\n改造10公里\n其中城区5公里\n李四\n县交通局\n县财政局\n")
    seg, items = _seg(text)
    assert [it.lead_units for it in seg.items] == [("县教育局",), ("县交通局",)]
    assert [it.partner_units for it in seg.items] == [("县财政局",), ("县财政局",)]


def test_units_listed_one_per_line_stay_in_their_column():
    text = ("序号\n项目名称\n建设内容\n牵头单位\n协同单位\n"
            "1\n新建学校\n新建中小学校5所。\n县教育局\n东城街道\n西城镇\n县发改局\n"
            "2\n改造道路\n改造道路10公里。\n县交通局\n/\n")
    seg, _ = _seg(text)
    assert [it.lead_units for it in seg.items] == [("县教育局",), ("县交通局",)]
    assert seg.items[0].partner_units == ("东城街道", "西城镇", "县发改局")


def test_an_enumeration_inside_a_paragraph_ends_with_it():
    """A list on later lines is not nested under the paragraph's inline list."""
    from msresearch.genres.lists.lines import split_lines
    from msresearch.genres.lists.numbering import inline_markers, line_marker, sequence

    text = "承诺：1.新建学校；2.改造道路。\n之一：新建医院。\n之二：建设食堂。\n"
    candidates = []
    for i, line in enumerate(split_lines(text)):
        first = line_marker(line.text, line.start, i)
        candidates += ([first] if first else []) + inline_markers(line.text, line.start, i, first)
    seq = sequence(candidates)
    assert [(m.style, d) for m, d in zip(seq.markers, seq.depths, strict=True)] == [
        ("1.", 0), ("1.", 0), ("之一", 0), ("之一", 0)]


def test_a_notice_wrapping_an_attachment_takes_its_items_from_the_attachment():
    text = ("关于印发2024年民生实事项目的通知\n各乡镇：\n现将有关事项通知如下。\n"
            "一、提高思想认识\n各地要高度重视。\n二、强化督查考核\n县政府将定期督查。\n"
            "附件：2024年民生实事项目\n某县人民政府\n2024年3月1日\n附件\n2024年民生实事项目\n"
            "1.新建幼儿园5所。（牵头单位：县教育局）\n2.改造道路10公里。（牵头单位：县交通局）\n")
    seg, items = _seg(text)
    substantive = [it for it in seg.items if not it.procedural]
    assert [it.title for it in substantive] == ["新建幼儿园5所", "改造道路10公里"]
    assert [it.title for it in seg.items if it.procedural] == ["提高思想认识", "强化督查考核"]


def test_rankings_are_not_items():
    text = ("一、项目进展\n1.新建幼儿园5所，已完成4所。\n2.改造道路10公里，已完成8公里。\n"
            "二、各县区排名\n1.甲县95.3分\n2.乙区90.1分\n")
    seg, items = _seg(text)
    assert [t[:5] for _, t in items] == ["新建幼儿园", "改造道路1"]


def test_unnumbered_list_after_a_declared_count():
    text = "今年办好三件民生实事\n新建中小学校舍\n改造城市老旧小区\n建设区域养老中心\n群众满意。\n"
    seg, items = _seg(text)
    assert seg.item_level == "unnumbered" and len(items) == 3


@pytest.mark.parametrize(("text", "lead", "partners"), [
    ("甲。（牵头单位：市人社局；责任单位：市财政局、各县（市、区）人民政府）",
     ("市人社局",), ("市财政局", "各县（市、区）人民政府")),
    ("甲。牵头责任单位：省人社厅；协同配合责任单位：省民政厅、省财政厅",
     ("省人社厅",), ("省民政厅", "省财政厅")),
    ("甲。（牵头单位：省人社厅，共同责任单位：省民政厅）", ("省人社厅",), ("省民政厅",)),
    ("甲。（市教育局负责）", ("市教育局",), ()),
    ("甲。（市民政局牵头，市财政局配合）", ("市民政局",), ("市财政局",)),
    ("甲，牵头单位：市民政局。", ("市民政局",), ()),
    ("甲。(牵头单位:市住建局;配合单位:市城管局)", ("市住建局",), ("市城管局",)),
    ("甲。（责任单位：市民政局、市医保局等）", ("市民政局", "市医保局"), ()),
    ("甲。牵头市领导：张三\n责任单位：市发改委", ("市发改委",), ()),
    ("甲。牵头责任单位：县卫健委 主要协作单位：各乡镇人民政府", ("县卫健委",), ("各乡镇人民政府",)),
])
def test_unit_forms(text, lead, partners):
    clean_text, _ = clean(text)
    assert lead_units(clean_text) == (lead, partners)


@pytest.mark.parametrize(("text", "n"), [
    ("关于2020年实施33项民生工程的通知", 33), ("办好十件民生实事", 10), ("2021年十大为民办实事项目", 10),
    ("民生实事项目共12项", 12), ("确定二十项民生实事", 20), ("《关于实施33项民生工程的通知》精神", None),
])
def test_declared_counts(text, n):
    assert declared_total(text) == n


def test_declared_in_headings_and_numerals():
    assert declared_in_heading("就业促进（3项）") == 3 and declared_in_heading("新增十二项民生工程") == 12
    assert [numeral(x) for x in ("十", "三十三", "两", "①", "12")] == [10, 33, 2, 1, 12]


@pytest.mark.parametrize("title", ["全县各法律援助机构共办理各类法律援助案件不低于754件",
                                   "受理群众诉求800件以上", "办理案件不少于20件"])
def test_a_quantity_to_reach_in_a_heading_declares_no_count(title):
    assert declared_in_heading(title) is None


def test_a_heading_with_a_target_and_a_count_declares_the_count():
    assert declared_in_heading("社会救助（2项，救助不少于500件）") == 2


def test_item_level_follows_the_declared_count_then_units_then_the_lowest_level():
    text = ("2024年两件民生实事\n一、教育\n（一）新建学校。\n1.新建小学。\n2.新建中学。\n"
            "二、养老\n（二）建设食堂。\n1.新建食堂。\n")
    seg, _ = _seg(text)
    assert seg.item_level == "（一）" and "declared" in seg.item_level_reason
    text = ("一、教育\n（一）新建学校。（牵头单位：县教育局）\n1.新建小学。\n2.新建中学。\n"
            "二、养老\n（二）建设食堂。（牵头单位：县民政局）\n1.新建食堂。\n")
    seg, _ = _seg(text)
    assert seg.item_level == "（一）" and "units" in seg.item_level_reason
    text = "一、教育\n1.新建小学。\n2.新建中学。\n二、养老\n3.新建食堂。\n"
    seg, _ = _seg(text)
    assert seg.item_level == "1." and "lowest" in seg.item_level_reason
