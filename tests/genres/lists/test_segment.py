"""Cleaning and segmentation on the seeds: exact counts, exact spans, units, statuses, and
the same items whatever the encoding, script or file format."""

from __future__ import annotations

import re

import opencc
import pandas as pd
import pytest

from msresearch import config
from msresearch.errors import InputError
from msresearch.genres.lists import lead_units, segment
from msresearch.pipeline.build import index_corpus, index_document
from msresearch.read.clean import (
    clean,
    drop_page_furniture,
    fullwidth_punctuation,
    in_traditional_script,
    join_broken_lines,
    remove_spaces_in_chinese,
)
from msresearch.read.corpus import Document, read_document_text
from tests.conftest import seed_ids, seed_raw

INDEXED, _, _ = index_corpus(seed_raw() / "manifest.csv", seed_raw())
BY_SOURCE = {ix.doc.meta["source_name"][:3]: ix for ix in INDEXED}


def _substantive(seed: str):
    return [it for it in BY_SOURCE[seed].seg.items if not it.procedural]


@pytest.mark.parametrize(("seed", "n_items", "n_procedural"),
                         [("000", 53, 0), ("004", 54, 0), ("002", 33, 7), ("003", 50, 0),
                          ("001", 9, 6)])
def test_item_counts_on_the_seeds(seed, n_items, n_procedural):
    items = BY_SOURCE[seed].seg.items
    assert sum(not it.procedural for it in items) == n_items
    assert sum(it.procedural for it in items) == n_procedural


def test_procedural_items_are_the_work_requirements_and_safeguards():
    taihe = [it for it in BY_SOURCE["002"].seg.items if it.procedural]
    assert {it.section for it in taihe} == {"工作要求"}
    fuyang = [it for it in BY_SOURCE["001"].seg.items if it.procedural]
    numbers = "十三 十四 十五 十六 十七 十八".split()
    assert [it.printed_number for it in fuyang] == [f"（{n}）" for n in numbers]
    assert {it.section for it in fuyang} == {"保障措施"}


def test_fuyang_tasks_are_the_main_tasks_with_the_allocation_table_attached():
    tasks = _substantive("001")
    assert [it.printed_number for it in tasks] == [
        f"（{n}）" for n in "四 五 六 七 八 九 十 十一 十二".split()]
    assert {it.section for it in tasks} == {"主要任务"}
    assert tasks[-1].deadline == "到2020年底完成"
    assert all(it.deadline for it in tasks)


@pytest.mark.parametrize("seed", ["000", "001", "003", "004"])
def test_every_substantive_item_has_lead_units(seed):
    assert all(it.lead_units for it in _substantive(seed))


def test_every_span_slices_its_text_exactly():
    items = pd.read_csv(config.PROCESSED / "items.csv", keep_default_na=False)
    for doc_id, group in items.groupby("doc_id"):
        text = (config.CLEAN / f"{doc_id}.txt").read_text(encoding="utf-8")
        for rec in group.to_dict("records"):
            assert text[rec["start"]:rec["end"]] == rec["text"], rec["item_id"]


def test_taihe_statuses_come_from_the_body_lists():
    rows = {int(it.printed_number): it.status for it in _substantive("002")}
    assert sorted(n for n, s in rows.items() if s == "new") == [12, 17, 19]
    assert sorted(n for n, s in rows.items() if s == "improved") == [21, 27, 28, 29, 33]
    assert sorted(n for n, s in rows.items() if s == "continued") == sorted(
        set(range(1, 34)) - {12, 17, 19, 21, 27, 28, 29, 33})
    exited = [c for c in BY_SOURCE["002"].seg.changes if c.status == "exited"]
    assert [c.project for c in exited] == ["农村环境“三大革命”", "智慧医疗", "秸秆综合利用工程"]
    assert all(c.matched_title == "" for c in exited)


def test_continuation_rows_belong_to_their_numbered_row():
    rows = {it.printed_number: it for it in _substantive("002")}
    assert len(rows["20"].subitems) == 6  # the six assistance schemes under row 20
    assert "困难职工帮扶" in rows["20"].subitems
    assert rows["16"].title == "技能培训提升" and len(rows["16"].subitems) == 2
    assert all("序号" not in it.title for it in rows.values())


def test_declared_counts_match_what_was_segmented():
    declared = [d for ix in INDEXED for d in ix.seg.declared]
    assert declared, "the seeds declare counts"
    assert [(d.label, d.declared, d.found) for d in declared if d.declared != d.found] == []
    docs = {ix.doc.meta["source_name"][:3]: [d for d in ix.seg.declared if d.scope == "document"]
            for ix in INDEXED}
    assert [d.declared for d in docs["002"]] == [33]
    assert [d.declared for d in docs["003"]] == [50]


def test_a_declared_count_that_does_not_match_is_reported():
    text = "2020年实施3项民生工程的通知\n一、就业（2项）\n（一）甲。（牵头单位：市人社局）\n"
    seg = segment(text)
    assert [(d.scope, d.declared, d.found) for d in seg.declared] == [
        ("document", 3, 1), ("section", 2, 1)]


def test_references_are_found_with_their_document_numbers():
    refs = [r for ix in INDEXED for r in ix.seg.references]
    numbered = {(r.title, r.doc_number) for r in refs if r.doc_number}
    assert ("安徽省人民政府关于扎实推进民生工作的意见", "皖政〔2017〕58号") in numbered


def test_lead_unit_forms():
    assert lead_units("甲。（牵头责任单位：省人社厅，协同责任单位：省退役军人厅、省农业农村厅）") == (
        ("省人社厅",), ("省退役军人厅", "省农业农村厅"))
    assert lead_units("（牵头单位：市扶贫办；责任单位：市财政局等）") == (("市扶贫办",), ("市财政局",))
    assert lead_units("（牵头单位：市民政局、市医保局）") == (("市民政局", "市医保局"), ())
    assert lead_units("没有单位。") == ((), ())


def test_cleaning_rules_one_by_one():
    assert drop_page_furniture("正文\n访问次数:9627 信息来源:省网\n[ 字体:]\n扫一扫在手机打开当前页\n") == \
        "正文\n\n\n\n"
    assert remove_spaces_in_chinese("实施 33 项 民生工程，技能培 训 and more") == \
        "实施33项民生工程，技能培训 and more"
    assert fullwidth_punctuation("(一)就业,增收:(牵头单位:市局) 1,000 9:40") == \
        "（一）就业，增收：（牵头单位：市局） 1,000 9:40"
    assert join_broken_lines("（一）改造。将设施纳\n入改造内容。\n（二）下一项") == \
        "（一）改造。将设施纳入改造内容。\n（二）下一项"
    assert join_broken_lines("（四）促进就业\n坚持就业优先。") == "（四）促进就业\n坚持就业优先。"


def test_cleaning_log_names_every_rule_with_counts_and_an_example():
    log = pd.read_csv(config.PROCESSED / "cleaning_log.csv", keep_default_na=False)
    assert log.groupby("doc_id").size().nunique() == 1
    log = log[log.doc_id.isin(seed_ids())]
    furniture = log[(log.rule == "drop_page_furniture") & (log.n_changes > 0)]
    assert set(furniture.doc_id) == {"2017-fuyang", "2020-anhui", "2023-bozhou"}
    assert (log[log.n_changes > 0].example != "").all()
    for text in sorted(config.CLEAN / f"{doc_id}.txt" for doc_id in seed_ids()):
        clean_text = text.read_text(encoding="utf-8")
        assert "扫一扫" not in clean_text and "访问次数" not in clean_text
        assert not re.search(r"[\u4e00-\u9fff][,:;]", clean_text)


def _items(ix):
    return [(it.printed_number, it.title, it.procedural, it.status, it.lead_units,
             ix.clean_text[it.start:it.end]) for it in ix.seg.items]


def _reindex(ix, data: bytes):
    text, _ = read_document_text(data, "variant")
    return index_document(Document(ix.doc.doc_id, ix.doc.meta, text))


@pytest.mark.parametrize("seed", ["000", "001", "002", "003", "004"])
@pytest.mark.parametrize("variant", ["gb18030", "utf-8-sig", "crlf", "html"])
def test_same_items_in_other_encodings_and_formats(seed, variant):
    ix = BY_SOURCE[seed]
    text = ix.doc.text
    if variant == "crlf":
        data = text.replace("\n", "\r\n").encode("utf-8")
    elif variant == "html":
        body = "".join(f"<p>{line}</p>\n" for line in text.split("\n")) \
            .replace("<p></p>", "<br>").replace("\t", "&#9;")
        page = (f"<!DOCTYPE html><html><head><script>var x='访问次数';</script></head><body>"
                f"<nav>网站首页 &gt; 信息公开</nav><div>{body}</div><footer>版权所有</footer>"
                f"</body></html>")
        data = page.encode("utf-8")
    else:
        data = text.encode(variant)
    assert _items(_reindex(ix, data)) == _items(ix)


@pytest.mark.parametrize("seed", ["000", "001", "002", "003", "004"])
def test_same_items_in_traditional_script(seed):
    ix = BY_SOURCE[seed]
    traditional = opencc.OpenCC("s2t").convert(ix.doc.text)
    assert in_traditional_script(traditional) and not in_traditional_script(ix.doc.text)
    variant = _reindex(ix, traditional.encode("utf-8"))
    original = _items(ix)
    converted = _items(variant)
    assert [i[:4] for i in converted] == [i[:4] for i in original]
    # s2t→t2s is not an exact round trip for a few characters; nearly all text is identical
    same = sum(a[5] == b[5] for a, b in zip(converted, original, strict=True))
    assert same / len(original) >= 0.9


def test_big5_document_gives_the_same_items():
    ix = BY_SOURCE["004"]
    traditional = opencc.OpenCC("s2t").convert(ix.doc.text)
    variant = _reindex(ix, traditional.encode("big5", errors="ignore"))
    assert [(i[0], i[2]) for i in _items(variant)] == [(i[0], i[2]) for i in _items(ix)]


def test_a_document_without_items_is_bad_input():
    doc = Document("x", {"file": "x.txt", "manifest_row": 6}, "关于做好民生工作的通知\n请认真贯彻执行。\n")
    with pytest.raises(InputError, match="x.txt, line 7, field 'file': no item found"):
        index_document(doc)


def test_cleaning_is_idempotent_on_clean_text():
    for ix in INDEXED:
        assert clean(ix.clean_text)[0] == ix.clean_text


def test_a_new_document_of_the_genre_segments_without_code_changes():
    text = (
        "某市人民政府办公室关于印发2024年全市4项民生实事的通知\n"
        "各县、区人民政府:\n"
        "现将有关事项通知如下。\n"
        "一、总体要求\n"
        "(一)指导思想。坚持以人民为中心。\n"
        "二、重点任务\n"
        "1.扩大就业。新增就业1000人。(牵头单位:市人社局;责任单位:市财政局)\n"
        "(1)开展培训。培训500人。\n"
        "(2)开发岗位。开发岗位200个。\n"
        "2.改造老旧小区。改造小区10个。(牵头单位:市住建局)\n"
        "3.建设养老食堂。新建食堂20个。(牵头单位:市民政局)\n"
        "4.加强食品安全抽检。抽检200批次。(牵头单位:市市场监管局)\n"
        "三、工作要求\n"
        "(一)加强组织领导。各地要高度重视。\n"
        "各地要认真贯彻落实。\n"
    )
    clean_text, _ = clean(text)
    seg = segment(clean_text)
    substantive = [it for it in seg.items if not it.procedural]
    assert [it.title for it in substantive] == [
        "扩大就业", "改造老旧小区", "建设养老食堂", "加强食品安全抽检"]
    assert "开发岗位200个" in clean_text[substantive[0].start:substantive[0].end]
    assert substantive[0].lead_units == ("市人社局",) and substantive[0].partner_units == ("市财政局",)
    assert [it.title for it in seg.items if it.procedural] == ["加强组织领导"]
    assert "认真贯彻落实" not in clean_text[seg.items[-1].start:seg.items[-1].end]
    assert [(d.scope, d.declared, d.found) for d in seg.declared] == [("document", 4, 4)]


def test_a_declared_count_is_a_whole_number_not_the_tail_of_a_longer_one():
    from msresearch.genres.lists.declared import declared_in_heading, declared_total
    from msresearch.genres.lists.status import status_of

    assert declared_in_heading("完善法律援助，办理案件不低于19728件") is None
    assert status_of("完善法律援助，办理案件不低于19728件") is None
    assert declared_total("全年办理12345件民生实事") is None
    assert declared_in_heading("一、就业促进（3项）") == 3
    assert declared_total("今年实施二十五项民生工程") == 25


@pytest.mark.parametrize("style", ["{}.", "{}、", "（{}）", "第{}项 ", "{}\n"])
def test_numbering_of_any_length_is_read(style):
    """A list of 1,200 items in each Arabic style (and a vertical table's row numbers): every
    number is read, from 1 to 1200, with no gap; no cap at three digits."""
    n = 1200
    text = "关于做好民生工作的通知\n" + "".join(
        style.format(k) + f"新建幼儿园{k}所，改造道路{k}公里。\n" for k in range(1, n + 1))
    ix = index_document(Document("long", {"doc_id": "long"}, text))
    items = [it for it in ix.seg.items if not it.procedural]
    assert len(items) == n
    assert [it.title.removeprefix("新建幼儿园").split("所")[0] for it in items] == \
        [str(k) for k in range(1, n + 1)]
    assert not ix.seg.numbering_gaps


def test_a_vertical_table_of_any_length_is_read():
    rows = "".join(f"{k}\n新建幼儿园{k}所\n市教育局\n" for k in range(1, 1201))
    text = "关于做好民生工作的通知\n附件\n序号\n项目名称\n责任单位\n" + rows
    ix = index_document(Document("table", {"doc_id": "table"}, text))
    titles = [it.title for it in ix.seg.items if not it.procedural]
    assert len(titles) == 1200 and titles[-1].startswith("新建幼儿园1200所")
