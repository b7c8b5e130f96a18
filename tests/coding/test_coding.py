"""The tokenizer, the coder and its agreement with the development gold labels."""

from __future__ import annotations

import pandas as pd
import pytest

from msresearch import config
from msresearch.coding import tokenizer, validation
from msresearch.coding.codebook import parse_codebook, read_codebook
from msresearch.coding.coder import code, code_item, code_sentence, has_no_content, sentences, zones
from msresearch.evaluation.lists import read_labelled
from msresearch.io import inputs

CODEBOOK = read_codebook(config.CODEBOOK)


def _tiny(**domain_changes):
    data = {
        "scheme": "t", "version": 1, "zones": {"title": 3, "first_sentence": 2, "rest": 0.5},
        "domains": [
            {"id": "disability", "zh": "残", "en": "D", "cap": "13", "colour": "#000001",
             "precedence": 1, "patterns": {"残疾人": 3}, "decisive": ["残疾人"]},
            {"id": "employment", "zh": "就", "en": "E", "cap": "5", "colour": "#000002",
             "precedence": 2, "patterns": {"就业": 3, "技能培训": 3}},
            {"id": "education", "zh": "教", "en": "Ed", "cap": "6", "colour": "#000003",
             "precedence": 3, "patterns": {"学校": 3}},
        ],
    }
    data["procedural"] = ["宣传", "经费保障"]
    for key, value in domain_changes.items():
        data["domains"][0][key] = value
    return parse_codebook(data, "tiny.yaml")


def test_tokenizer_keeps_policy_and_codebook_terms_whole_and_is_deterministic():
    text = "推进城镇老旧小区改造，实施全民健身设施补短板工程。"
    first = tokenizer.tokenize(text, extra_terms=["健身"])
    assert "老旧小区" in first and "健身" in first and "，" not in first
    assert tokenizer.tokenize(text, extra_terms=["健身"]) == first
    assert "的" not in tokenizer.tokenize("群众的获得感", drop_stopwords=True)
    offsets = tokenizer.tokenize_with_offsets(text)
    assert all(text[pos:pos + len(w)] == w for w, pos in offsets)


def test_tokenizer_cache_stays_in_the_project_and_its_settings_are_recorded():
    tokenizer.tokenize("民生工程")
    assert any(config.JIEBA_CACHE.iterdir())
    info = tokenizer.info(["就业"])
    assert info.hmm is False and info.jieba_version == "0.42.1"
    assert info.extra_terms_sha256 != tokenizer.info(["就业", "教育"]).extra_terms_sha256
    record = pd.read_csv(config.PROCESSED / "build_info.csv", dtype=str).set_index("key")["value"]
    assert record["jieba_hmm"] == "False" and record["user_dict_sha256"] == info.user_dict_sha256


def test_highest_score_wins_and_evidence_says_where():
    coding = code(zones("开展技能培训", "开展技能培训。新建学校。"), _tiny())
    assert coding.domain == "employment"
    assert coding.score == 9.0  # 技能培训 (3) in the title (×3); the school: 3 × 2 = 6
    assert coding.evidence == "title:技能培训"


def test_nothing_matched_is_unclassified_not_a_default():
    coding = code(zones("", "召开会议。"), _tiny())
    assert (coding.domain, coding.score, coding.evidence) == ("unclassified", 0.0, "")


def test_procedural_items_are_coded_procedural():
    assert code_item("加强组织领导", "加强组织领导。促进就业。", True, _tiny()).domain == "procedural"


def test_a_decisive_term_in_the_title_decides_and_a_tie_goes_to_precedence():
    text = "为残疾人开展技能培训和就业服务。"
    assert code(zones("为残疾人开展技能培训和就业服务", text), _tiny()).domain == "disability"
    assert code(zones("为残疾人开展技能培训和就业服务", text),
                _tiny(decisive=[])).domain == "employment"
    tie = _tiny(decisive=[], patterns={"残疾人": 3})
    assert code([("title", "残疾人就业")], tie).domain == "disability"  # 9 = 9, precedence 1


def test_a_term_counts_once_per_zone_and_units_are_ignored():
    repeated = code(zones("建学校", "建学校。学校学校学校就业。（牵头单位：市就业局）"), _tiny())
    assert repeated.domain == "education"
    assert repeated.score == 3 * 3 + 3 * 2  # title and first sentence, once each
    assert repeated.evidence == "title:学校; first_sentence:学校×3"
    assert "就业局" not in repeated.evidence


def test_sentences_split_after_full_stops_and_line_ends():
    text = "甲。乙；丙\n丁"
    assert [text[s:e] for s, e in sentences(text)] == ["甲。", "乙；", "丙", "丁"]


def test_every_item_and_sentence_has_a_domain_and_spans_slice_the_clean_text():
    items = inputs.read_table("items.csv")  # the library's reader: cells escaped for spreadsheets
    labels = set(CODEBOOK.ids) | {"procedural", "unclassified"}
    assert set(items["domain"]) <= labels and (items["domain"] != "").all()
    assert (items.loc[items["procedural"], "domain"] == "procedural").all()
    sents = inputs.read_table("sentences.csv").fillna("")
    reports = sents["section"] != ""  # a work report's sentences, coded with its genre's codebook
    assert set(sents.loc[~reports, "domain"]) <= labels | {"none"}
    assert set(sents.loc[reports, "domain"]) <= set(CODEBOOK.for_genre("work_report").ids) | {"none"}
    assert set(sents["item_id"]) - {""} == set(items["item_id"])
    assert (sents.loc[~reports, "item_id"] != "").all()
    for doc_id, group in sents.groupby("doc_id"):
        text = (config.CLEAN / f"{doc_id}.txt").read_text(encoding="utf-8")
        assert all(text[r["start"]:r["end"]] == r["text"] for r in group.to_dict("records"))


def _aligned(items: pd.DataFrame | None = None) -> pd.DataFrame:
    gold = inputs.read_gold()
    items = inputs.read_table("items.csv") if items is None else items
    return validation.align_gold(gold, inputs.read_table("documents.csv"), items)


def test_kappa_on_the_development_labels_is_at_least_080():
    result = validation.agreement(_aligned())
    assert result.n == 104
    assert result.kappa >= 0.80, validation.disagreements(_aligned())


def test_the_kappa_check_fails_for_a_broken_coder():
    items = inputs.read_table("items.csv")
    broken = items.assign(domain=items["domain"].where(items["procedural"], "employment"))
    assert validation.agreement(_aligned(broken)).kappa < 0.80


def test_per_domain_precision_and_recall_from_the_confusion_matrix():
    aligned = pd.DataFrame({"gold": ["a", "a", "b", "b"], "coded": ["a", "b", "b", "b"]})
    table = validation.per_domain(aligned)
    assert table.loc["a", "precision"] == 1.0 and table.loc["a", "recall"] == 0.5
    assert table.loc["b", "precision"] == pytest.approx(2 / 3) and table.loc["b", "recall"] == 1.0
    assert validation.agreement(aligned).kappa == pytest.approx(0.5)


@pytest.mark.parametrize("text", [
    "（牵头单位：市教育局）", "（牵头责任单位：市人社局，协同责任单位：市财政局）",
    "责任单位：市人力资源社会保障局、市发展改革委）", "推进措施：", "3.", "2020年4月8日", "（二）"])
def test_sentences_without_content_of_their_own_are_none(text):
    assert has_no_content(text)
    # an agency's name (教育局 -> education) is not attention to its domain
    assert code_sentence(text, False, CODEBOOK, "education").domain == "none"


@pytest.mark.parametrize("text", ["学校建设：新建学校3所。", "（一）新建学校3所", "新开工4个项目。"])
def test_sentences_with_content_are_not_none(text):
    assert not has_no_content(text)


def test_sentence_rules_in_order():
    tiny = _tiny()
    # an opening procedural cue decides, unless the opening clause names a domain itself
    assert code_sentence("3.加大宣传力度，让学校师生知晓。", False, tiny).domain == "procedural"
    assert code_sentence("加强学校经费保障。", False, tiny).domain == "education"
    # its own terms decide; a table row's first cell weighs as a heading: 2 × 3 against 3,
    # where the same words in one sentence tie and precedence gives employment
    assert code_sentence("新建学校。", False, tiny, "employment").domain == "education"
    assert code_sentence("学校\t就业", False, tiny).domain == "education"
    assert code_sentence("学校 就业", False, tiny).domain == "employment"
    # no term: the item's subject continues, or unclassified without an item
    inherited = code_sentence("新开工4个项目。", False, tiny, "employment")
    assert (inherited.domain, inherited.evidence) == ("employment", "item")
    assert code_sentence("新开工4个项目。", False, tiny).domain == "unclassified"
    assert code_sentence("新开工4个项目。", True, tiny, "employment").domain == "procedural"


def test_sentence_kappa_on_the_development_sentences():
    aligned = validation.align_sentences(inputs.read_gold_sentences(), inputs.read_table("sentences.csv"))
    result = validation.agreement(aligned)
    assert result.n == 150
    assert result.kappa >= 0.85, validation.disagreements(aligned.assign(
        item_id=aligned["sentence_id"], title=aligned["sentence"]))


def test_the_sentence_kappa_check_fails_when_none_sentences_get_a_domain():
    sents = inputs.read_table("sentences.csv")
    broken = sents.assign(domain=sents["domain"].replace("none", "education"))
    aligned = validation.align_sentences(inputs.read_gold_sentences(), broken)
    assert validation.agreement(aligned).kappa < 0.85


def _zoned_texts():
    """Every zoned text the build codes on the seeds and the labelled real documents: each
    item's zones, each sentence's zones and each sentence's opening clause."""
    from msresearch.coding.coder import sentence_zones
    from msresearch.genres.lists import segment
    from msresearch.read.clean import clean

    texts, _ = read_labelled(config.GENRE)
    frames = [inputs.read_table("items.csv")]
    for _, text in sorted(texts.items()):
        cleaned = clean(text)[0]
        found = segment(cleaned).items
        frames.append(pd.DataFrame({"title": [it.title for it in found],
                                    "text": [cleaned[it.start:it.end] for it in found]}))
    items = pd.concat(frames, ignore_index=True)
    for title, text in zip(items["title"], items["text"], strict=True):
        yield zones(title, text), None
        for s, e in sentences(text):
            yield sentence_zones(text[s:e]), "sentence"
            yield [("sentence", text[s:e].split("，")[0])], "sentence"


def test_the_compiled_coder_codes_every_text_as_the_plain_coder_did():
    from msresearch.coding.coder import SENTENCE_ZONES, compile_codebook, matcher
    from tests.coding import reference_coder

    assert matcher(CODEBOOK) is matcher(CODEBOOK)  # compiled once
    assert compile_codebook(CODEBOOK).longest[0] == max(
        compile_codebook(CODEBOOK).lexicon, key=len)
    n = 0
    for parts, kind in _zoned_texts():
        weights = SENTENCE_ZONES if kind else None
        assert code(parts, CODEBOOK, weights) == reference_coder.code(parts, CODEBOOK, weights), parts
        n += 1
    assert n > 4000


def test_words_are_the_words_of_one_plain_cut_of_the_whole_text():
    from tests.coding import reference_coder

    key = tokenizer.term_key(["健身", "技能培训"])
    texts = ["推进城镇老旧小区改造，实施全民健身设施补短板工程。\n1.新建学校3所（牵头单位：市教育局）",
             "ABC技能培训2023年\t项目名称\u3000健身 步道 㐀𠀀 ＡＢ",
             "加强教育（牵头单位：教育局）工作", "", "。。。", "技能培训技能培训"]
    for text in texts:
        assert tokenizer.words(text, key) == reference_coder.plain_words(text, key)
        assert tokenizer.words(text, key) == tokenizer.words(text, key)  # from the memo
