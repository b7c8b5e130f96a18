"""The codebook file: it implements the spec's domains, and a bad entry is a clear error."""

from __future__ import annotations

import pytest
import yaml

from msresearch import config, io
from msresearch.errors import InputError

SPEC_IDS = {
    "employment", "education", "health", "social_insurance", "care_services",
    "social_assistance", "disability", "housing", "culture_sports", "public_safety",
    "infrastructure", "environment", "rural_development", "poverty_alleviation", "governance",
}


def test_codebook_has_every_domain_of_the_scheme_with_labels_and_terms():
    codebook = io.read_codebook(config.CODEBOOK)
    assert set(codebook.ids) == SPEC_IDS
    assert all(d.patterns and d.zh and d.en and d.cap for d in codebook.domains)
    # the spec's first boundary rules come first in precedence
    assert codebook.ids[:3] == ["poverty_alleviation", "disability", "social_insurance"]
    assert len({d.colour for d in codebook.domains}) == len(codebook.domains)


def _write(tmp_path, change):
    data = yaml.safe_load(config.CODEBOOK.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "codebook.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _line_of_domain(path, index):
    root = yaml.compose(path.read_text(encoding="utf-8"))
    domains = dict((k.value, v) for k, v in root.value)["domains"]
    return domains.value[index].start_mark.line + 1


@pytest.mark.parametrize(
    ("change", "index", "expected"),
    [
        (lambda d: d["domains"][2].update(keywords=["x"]), 2, "field 'keywords': unknown key"),
        (lambda d: d["domains"][4].update(id=d["domains"][1]["id"]), 4,
         "field 'id': duplicate id 'disability'"),
        (lambda d: d["domains"][5].update(patterns={}), 5, "field 'patterns': patterns must be"),
        (lambda d: d["domains"][13]["patterns"].update({"学前教育": 2}), 13,
         "field 'patterns': term '学前教育' is also in 'education'"),
        (lambda d: d["domains"][0].update(colour="red"), 0, "field 'colour'"),
        (lambda d: d["domains"][3].update(id="procedural"), 3, "field 'id': id 'procedural' is reserved"),
    ],
)
def test_bad_codebook_entries_name_file_row_and_field(tmp_path, change, index, expected):
    path = _write(tmp_path, change)
    with pytest.raises(InputError) as err:
        io.read_codebook(path)
    message = str(err.value)
    assert message.startswith(f"codebook.yaml, row {_line_of_domain(path, index)}, ")
    assert expected in message


def test_bad_top_level_of_a_codebook(tmp_path):
    path = _write(tmp_path, lambda d: d.update(domain=[]))
    with pytest.raises(InputError, match="codebook.yaml, field 'domain': unknown key"):
        io.read_codebook(path)
    path = _write(tmp_path, lambda d: d["zones"].pop("rest"))
    with pytest.raises(InputError, match="field 'zones'"):
        io.read_codebook(path)


def test_decisive_terms_must_be_the_domains_own_terms(tmp_path):
    path = _write(tmp_path, lambda d: d["domains"][1].update(decisive=["就业"]))
    with pytest.raises(InputError, match="field 'decisive': decisive terms must be"):
        io.read_codebook(path)


@pytest.mark.parametrize(
    ("cues", "expected"),
    [("宣传", "procedural must be a list of non-empty terms"),
     (["宣传", ""], "procedural must be a list of non-empty terms"),
     (["宣传", "学前教育"], "procedural cue '学前教育' is also a term of 'education'")],
)
def test_bad_procedural_cues_are_named(tmp_path, cues, expected):
    path = _write(tmp_path, lambda d: d.update(procedural=cues))
    with pytest.raises(InputError) as err:
        io.read_codebook(path)
    assert "field 'procedural'" in str(err.value) and expected in str(err.value)


def test_procedural_cues_are_optional(tmp_path):
    path = _write(tmp_path, lambda d: d.pop("procedural"))
    assert io.read_codebook(path).procedural == ()
    assert "宣传" in io.read_codebook(config.CODEBOOK).procedural
