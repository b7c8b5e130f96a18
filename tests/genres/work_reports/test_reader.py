"""Reading a work report: sections in every heading style, the plan's tasks and tail, the main
expected targets, the lists a report holds, and sentences without markup."""

from __future__ import annotations

import pytest

from msresearch.genres import work_reports
from msresearch.read.clean import clean

REVIEW = "过去一年，全市经济平稳增长，地区生产总值增长6%。新增城镇就业5万人。"
PLAN_OPENING = "2021年是“十四五”开局之年。做好今年工作，要坚持稳中求进。"
TARGETS = "今年经济社会发展的主要预期目标是：地区生产总值增长7%左右；城镇新增就业5万人以上。"
TASK = "加快建设现代产业体系。推进先进制造业发展，培育战略性新兴产业。"
SELF = "我们要加强政府自身建设，建设人民满意的服务型政府。坚持依法行政，自觉接受人大监督。"
CLOSING = "各位代表！让我们更加紧密地团结在以习近平同志为核心的党中央周围，奋力开创新局面！"
OPENING = "各位代表：\n现在，我代表市人民政府，向大会报告政府工作，请予审议。"


def _read(text: str, year: int = 2021) -> tuple[str, work_reports.Reading]:
    clean_text, _ = clean(text)
    return clean_text, work_reports.read(clean_text, year)


def _section_of(clean_text, reading, words: str) -> str:
    return next(s.section for s in reading.sentences if words in clean_text[s.start:s.end])


def _report(heading, review="2020年工作回顾", plan="2021年工作安排", self="加强政府自身建设"):
    return (f"---\ntitle: 政府工作报告\n---\n\n**政府工作报告**\n\n"
            f"——2021年1月9日在某市第十五届人民代表大会上\n\n{OPENING}\n\n"
            f"{heading(1, review)}\n\n{REVIEW}\n\n{heading(2, plan)}\n\n{PLAN_OPENING}\n\n"
            f"{TARGETS}\n\n（一）{TASK}\n\n{heading(3, self)}\n\n{SELF}\n\n{CLOSING}\n")


STYLES = {
    "numbered": lambda k, text: f"{'一二三'[k - 1]}、{text}",
    "bold numbered": lambda k, text: f"**{'一二三'[k - 1]}、{text}**",
    "markdown": lambda k, text: f"## {'一二三'[k - 1]}、{text}",
    "bold": lambda k, text: f"**{text}**",
    "plain": lambda k, text: text,
}


@pytest.mark.parametrize("style", STYLES)
def test_every_heading_style_gives_the_sections(style):
    clean_text, reading = _read(_report(STYLES[style]))
    assert [name for name, _ in reading.sections_found] == [
        "front", "review", "plan", "self_building", "closing"]
    assert _section_of(clean_text, reading, "现在，我代表") == "front"
    assert _section_of(clean_text, reading, "新增城镇就业5万人。") == "review"
    assert _section_of(clean_text, reading, "培育战略性新兴产业") == "plan"
    assert _section_of(clean_text, reading, "依法行政") == "self_building"
    assert _section_of(clean_text, reading, "让我们") == "closing"


def test_a_heading_that_names_no_section_is_read_by_its_paragraphs():
    slogans = {1: "砥砺奋进，书写发展新篇章", 2: "乘势而上，奋力开创新局面", 3: "加强政府自身建设"}
    clean_text, reading = _read(_report(lambda k, text: f"{'一二三'[k - 1]}、{slogans[k]}"))
    assert _section_of(clean_text, reading, "新增城镇就业5万人。") == "review"
    assert _section_of(clean_text, reading, "培育战略性新兴产业") == "plan"
    assert "by its paragraphs" in dict(reading.sections_found)["review"]


def test_parts_announced_by_lines_may_number_their_tasks_again():
    """Parts in plain lines ("2020年工作回顾"), tasks 一、二、 inside each, starting again."""
    text = (f"{OPENING}\n\n2020年工作回顾\n\n一、农业稳定发展\n\n{REVIEW}\n\n二、城市建设加快\n\n{REVIEW}\n\n"
            f"2021年工作安排\n\n一、发展现代农业\n\n{PLAN_OPENING}\n\n二、推进城市建设\n\n{TASK}\n\n"
            f"政府自身建设\n\n{SELF}\n\n{CLOSING}\n")
    clean_text, reading = _read(text)
    assert _section_of(clean_text, reading, "推进城市建设") == "plan"
    assert _section_of(clean_text, reading, "城市建设加快") == "review"
    assert _section_of(clean_text, reading, "依法行政") == "self_building"


def test_a_part_of_five_years_and_the_year_is_outlook_then_plan():
    outlook = "今后五年，经济总量跨上新台阶，到2025年地区生产总值突破5000亿元。"
    text = (f"{OPENING}\n\n一、2020年工作回顾\n\n{REVIEW}\n\n二、“十四五”主要目标和2021年工作安排\n\n"
            f"{outlook}\n\n{PLAN_OPENING}\n\n（一）{TASK}\n\n三、加强政府自身建设\n\n{SELF}\n\n{CLOSING}\n")
    clean_text, reading = _read(text)
    assert _section_of(clean_text, reading, "跨上新台阶") == "outlook"
    assert _section_of(clean_text, reading, "培育战略性新兴产业") == "plan"


@pytest.mark.parametrize(("year", "section"), [(2021, "plan"), (2022, "review"), (2019, "outlook")])
def test_a_five_year_plans_start_is_this_year_only_in_its_first_year(year, section):
    text = (f"{OPENING}\n\n一、以高质量发展为“十四五”开好局\n\n{TASK}\n\n二、加强政府自身建设\n\n{SELF}\n\n"
            f"{CLOSING}\n")
    clean_text, reading = _read(text, year)
    assert _section_of(clean_text, reading, "培育战略性新兴产业") == section


def test_a_self_building_task_inside_the_plan_and_the_passages_after_it():
    """(九) about the government's own conduct is self_building until the next task; after
    the plan, an address opening another passage of the year's work (defence) is plan; the
    last address is the closing; a glossary after it is closing, an annex of this year's
    practical matters plan."""
    defence = "各位代表！\n\n我们要加强国防动员和后备力量建设，做好双拥工作。"
    annex = ("**附件1**\n\n2021年十件民生实事\n\n1.新建幼儿园20所。\n\n2.改造老旧小区30个。\n\n"
             "3.新增养老床位500张。")
    glossary = "**名词解释**\n\n1.“放管服”：简政放权、放管结合、优化服务。"
    text = (f"{OPENING}\n\n## 一、2020年工作回顾\n\n{REVIEW}\n\n## 二、2021年重点工作\n\n{PLAN_OPENING}\n\n"
            f"（一）{TASK}\n\n（二）全面加强政府自身建设。{SELF}\n\n（三）保障和改善民生。提高城乡居民收入。\n\n"
            f"{defence}\n\n{CLOSING}\n\n{annex}\n\n{glossary}\n")
    clean_text, reading = _read(text)
    assert _section_of(clean_text, reading, "依法行政") == "self_building"
    assert _section_of(clean_text, reading, "提高城乡居民收入") == "plan"
    assert _section_of(clean_text, reading, "双拥") == "plan"
    assert _section_of(clean_text, reading, "让我们") == "closing"
    assert _section_of(clean_text, reading, "新增养老床位") == "plan"
    assert _section_of(clean_text, reading, "简政放权") == "closing"


def test_a_report_without_headings_is_read_from_its_paragraphs():
    text = f"{OPENING}\n\n{REVIEW}\n\n{PLAN_OPENING}\n\n{TASK}\n\n{CLOSING}\n"
    clean_text, reading = _read(text)
    assert _section_of(clean_text, reading, "新增城镇就业5万人。") == "review"
    assert _section_of(clean_text, reading, "培育战略性新兴产业") == "plan"


def test_the_main_expected_targets_are_marked():
    text = _report(STYLES["numbered"]).replace(
        TARGETS, "今年的主要预期目标是：\n\n——地区生产总值增长7%左右；\n\n——城镇新增就业5万人以上。")
    clean_text, reading = _read(text)
    marked = [clean_text[s.start:s.end] for s in reading.sentences if s.targets]
    assert marked == ["今年的主要预期目标是：", "——地区生产总值增长7%左右；", "——城镇新增就业5万人以上。"]


def test_a_list_the_report_holds_is_read_into_items():
    listed = "扎实办好十件民生实事：\n\n1.新建幼儿园20所。\n\n2.改造老旧小区30个。\n\n3.新增养老床位500张。"
    clean_text, reading = _read(_report(STYLES["numbered"]).replace(TASK, TASK + "\n\n" + listed))
    assert [it.title for it in reading.items] == ["新建幼儿园20所", "改造老旧小区30个", "新增养老床位500张"]
    assert all(clean_text[it.start:it.end].startswith(it.title) for it in reading.items)


def test_sentences_leave_out_markup_the_header_and_comments():
    text = _report(STYLES["bold numbered"]).replace(
        REVIEW, f"<!-- 市长作报告。 -->\n\n**（一）经济稳定增长。**{REVIEW}")
    clean_text, reading = _read(text)
    texts = [clean_text[s.start:s.end] for s in reading.sentences]
    assert "title: 政府工作报告" not in "".join(texts) and not any("<!--" in t for t in texts)
    assert "（一）经济稳定增长。" in texts and "二、2021年工作安排" in texts
    assert not any(t.startswith("*") or t.endswith("*") for t in texts)
    assert [s.paragraph for s in reading.sentences] == sorted(s.paragraph for s in reading.sentences)
