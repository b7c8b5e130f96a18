"""The codebook file: it implements the spec's domains, and a bad entry is a clear error."""

from __future__ import annotations

import pytest
import yaml

from msresearch import config
from msresearch.cli import main
from msresearch.coding.codebook import read_codebook
from msresearch.errors import InputError
from msresearch.io import inputs
from msresearch.link.reuse import read_reuse_params
from tests.conftest import seed_raw

SPEC_IDS = {
    "employment", "education", "health", "social_insurance", "care_services",
    "social_assistance", "disability", "housing", "culture_sports", "public_safety",
    "infrastructure", "environment", "rural_development", "poverty_alleviation", "governance",
}


def test_codebook_has_every_domain_of_the_scheme_with_labels_and_terms():
    codebook = read_codebook(config.CODEBOOK)
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
        read_codebook(path)
    message = str(err.value)
    assert message.startswith(f"codebook.yaml, line {_line_of_domain(path, index)}, ")
    assert expected in message


def test_bad_top_level_of_a_codebook(tmp_path):
    path = _write(tmp_path, lambda d: d.update(domain=[]))
    with pytest.raises(InputError, match=r"codebook.yaml, line \d+, field 'domain': unknown key"):
        read_codebook(path)
    path = _write(tmp_path, lambda d: d["zones"].pop("rest"))
    with pytest.raises(InputError, match="field 'zones'"):
        read_codebook(path)


def test_decisive_terms_must_be_the_domains_own_terms(tmp_path):
    path = _write(tmp_path, lambda d: d["domains"][1].update(decisive=["就业"]))
    with pytest.raises(InputError, match="field 'decisive': decisive terms must be"):
        read_codebook(path)


@pytest.mark.parametrize(
    ("cues", "expected"),
    [("宣传", "procedural must be a list of non-empty terms"),
     (["宣传", ""], "procedural must be a list of non-empty terms"),
     (["宣传", "学前教育"], "procedural cue '学前教育' is also a term of 'education'")],
)
def test_bad_procedural_cues_are_named(tmp_path, cues, expected):
    path = _write(tmp_path, lambda d: d.update(procedural=cues))
    with pytest.raises(InputError) as err:
        read_codebook(path)
    assert "field 'procedural'" in str(err.value) and expected in str(err.value)


def test_procedural_cues_are_optional(tmp_path):
    path = _write(tmp_path, lambda d: d.pop("procedural"))
    assert read_codebook(path).procedural == ()
    assert "宣传" in read_codebook(config.CODEBOOK).procedural


# --- strict reading: duplicate keys, one-line YAML errors, types, unreadable files ---------


def _text(tmp_path, text, name="codebook.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _line_with(path, needle, start=0):
    """The 1-based line of the first line (from line ``start`` + 1) that contains ``needle``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i + 1 for i, line in enumerate(lines) if i >= start and needle in line)


def _error(read, path):
    with pytest.raises(InputError) as err:
        read(path)
    message = str(err.value)
    assert "\n" not in message and "<unicode string>" not in message
    return message


def test_a_duplicate_top_level_key_is_refused_with_its_second_line(tmp_path):
    text = config.CODEBOOK.read_text(encoding="utf-8")
    path = _text(tmp_path, text + "zones:\n  title: 1\n  first_sentence: 1\n  rest: 1\n")
    first = _line_with(path, "zones:")
    second = len(text.splitlines()) + 1
    assert _error(read_codebook, path) == (
        f"codebook.yaml, line {second}, field 'zones': duplicate key 'zones' (first on line {first})")


def test_a_duplicate_key_inside_a_domain_is_refused(tmp_path):
    text = config.CODEBOOK.read_text(encoding="utf-8")
    text = text.replace("    patterns: {残疾人: 3,", "    patterns: {残疾: 1}\n    patterns: {残疾人: 3,", 1)
    path = _text(tmp_path, text)
    first = _line_with(path, "patterns: {残疾: 1}")
    assert _error(read_codebook, path) == (
        f"codebook.yaml, line {first + 1}, field 'patterns': "
        f"duplicate key 'patterns' (first on line {first})")


def test_a_duplicate_key_in_a_parameter_file_is_refused(tmp_path):
    path = _text(tmp_path, "variant: x\nlang: en\nmeasure: item_share\nlang: zh\n", "p.yaml")
    assert _error(inputs.read_params, path) == (
        "p.yaml, line 4, field 'lang': duplicate key 'lang' (first on line 2)")
    path = _text(tmp_path, "shingle: 3\nseed: 1\nshingle: 4\n", "reuse.yaml")
    assert _error(read_reuse_params, path) == (
        "reuse.yaml, line 3, field 'shingle': duplicate key 'shingle' (first on line 1)")


@pytest.mark.parametrize("read", [read_codebook, inputs.read_params])
@pytest.mark.parametrize(
    ("text", "line", "expected"),
    [("scheme: x\nzones: [1\nversion: 1\n", 3, "expected ',' or ']', but got ':'"),
     ("scheme: x\nversion: 1\n\tzones: 1\n", 3, "found character '\\t' that cannot start any token"),
     ("scheme: x\nversion: \"\\q\"\n", 2, "found unknown escape character 'q'"),
     ("scheme: x\nversion: 1\nzones: a\x00b\n", 3, "character #x0000 is not allowed")],
)
def test_a_yaml_syntax_error_is_one_line_with_its_line(tmp_path, read, text, line, expected):
    message = _error(read, _text(tmp_path, text, "bad.yaml"))
    assert message.startswith(f"bad.yaml, line {line}: not valid YAML: ")
    assert expected in message


def test_a_bad_date_in_a_parameter_file_is_an_input_error(tmp_path):
    path = _text(tmp_path, "variant: x\nperiod_cuts: [2020]\nfrom: 2019-13-45\n", "p.yaml")
    assert _error(inputs.read_params, path).startswith("p.yaml, line 3: not valid YAML: not a date")


@pytest.mark.parametrize(
    ("change", "where", "expected"),
    [(lambda d: d["zones"].update(title=True), ("zones", "title"),
      "field 'zones.title': zone weight must be a number ≥ 0, not True"),
     (lambda d: d["zones"].update(rest=float("nan")), ("zones", "rest"),
      "field 'zones.rest': zone weight must be a number ≥ 0, not nan"),
     (lambda d: d["domains"][1]["patterns"].update({"残疾人": True}), (1, "残疾人"),
      "field 'patterns': weight of '残疾人' must be a number > 0"),
     (lambda d: d["domains"][1]["patterns"].update({"残疾人": float("nan")}), (1, "残疾人"),
      "field 'patterns': weight of '残疾人' must be a number > 0"),
     (lambda d: d["domains"][1]["patterns"].update({"助残": float("inf")}), (1, "助残"),
      "field 'patterns': weight of '助残' must be a number > 0"),
     (lambda d: d["domains"][2]["patterns"].update({123: 2}), (2, "123"),
      "field 'patterns': term 123 is not a text (quote it)"),
     (lambda d: d["domains"][2]["patterns"].update({1.5: 2}), (2, "1.5"),
      "field 'patterns': term 1.5 is not a text (quote it)")],
)
def test_weights_are_real_numbers_and_terms_are_texts(tmp_path, change, where, expected):
    path = _write(tmp_path, change)
    line = (_line_with(path, f"{where[1]}:", _line_with(path, "zones:")) if where[0] == "zones"
            else _line_of_domain(path, where[0]))
    message = _error(read_codebook, path)
    assert message.startswith(f"codebook.yaml, line {line}, ")
    assert expected in message


def test_decisive_terms_are_texts(tmp_path):
    path = _write(tmp_path, lambda d: d["domains"][0].update(decisive=[351]))
    assert "field 'decisive': decisive terms must be" in _error(read_codebook, path)


@pytest.mark.parametrize(
    ("change", "field", "expected"),
    [(lambda d: d.update(version="abc"), "version", "version must be a whole number, not 'abc'"),
     (lambda d: d.update(version=1.5), "version", "version must be a whole number, not 1.5"),
     (lambda d: d.update(version=True), "version", "version must be a whole number, not True"),
     (lambda d: d.update(scheme=None), "scheme", "scheme must be a non-empty text")],
)
def test_version_and_scheme_are_checked(tmp_path, change, field, expected):
    path = _write(tmp_path, change)
    line = _line_with(path, f"{field}:")
    assert _error(read_codebook, path) == f"codebook.yaml, line {line}, field '{field}': {expected}"


@pytest.mark.parametrize(
    ("change", "field"),
    [(lambda d: d["domains"][3].update(id="health\n"), "id"),
     (lambda d: d["domains"][3].update(colour="#aabbcc\n"), "colour")],
)
def test_ids_and_colours_match_whole(tmp_path, change, field):
    path = _write(tmp_path, change)
    assert f"field '{field}'" in _error(read_codebook, path)


def test_top_level_errors_name_their_line(tmp_path):
    path = _text(tmp_path, "# a list\n- scheme: x\n")
    assert _error(read_codebook, path) == (
        "codebook.yaml, line 2: a codebook is a mapping with 'zones' and 'domains'")
    path = _write(tmp_path, lambda d: d.update(domain=[]))
    assert _error(read_codebook, path) == (
        f"codebook.yaml, line {_line_with(path, 'domain: []')}, field 'domain': unknown key 'domain'")
    path = _write(tmp_path, lambda d: d.pop("domains"))
    assert _error(read_codebook, path) == (
        "codebook.yaml, line 1, field 'domains': missing key 'domains'")
    path = _write(tmp_path, lambda d: d.update({1: "x", "extra": 2}))
    assert _error(read_codebook, path) == (
        f"codebook.yaml, line {_line_with(path, '1: x')}, field '1': unknown key '1'")


def test_a_folder_or_a_missing_file_is_an_input_error(tmp_path):
    assert _error(read_codebook, tmp_path) == f"{tmp_path.name}: a folder, not a codebook file"
    assert _error(read_codebook, tmp_path / "nowhere.yaml") == "nowhere.yaml: codebook not found"
    assert _error(inputs.read_params, tmp_path) == f"{tmp_path.name}: a folder, not a parameter file"
    assert _error(read_reuse_params, tmp_path) == (
        f"{tmp_path.name}: a folder, not a parameter file")
    assert _error(inputs.read_params, tmp_path / "nowhere.yaml") == (
        "nowhere.yaml: parameter file not found")


@pytest.mark.parametrize("read", [read_codebook, inputs.read_params, read_reuse_params])
def test_a_file_that_is_not_utf8_is_an_input_error(tmp_path, read):
    path = tmp_path / "bad.yaml"
    path.write_bytes(b"scheme: x\nversion: 1\n\xff\xfe\x00")
    assert _error(read, path) == "bad.yaml, line 3: not UTF-8 text (byte 0xff)"


def _dup_zones(tmp_path):
    return _text(tmp_path, config.CODEBOOK.read_text(encoding="utf-8") + "zones: {}\n")


def _syntax(tmp_path):
    return _text(tmp_path, "scheme: x\nzones: [1\nversion: 1\n")


def _not_utf8(tmp_path):
    path = tmp_path / "codebook.yaml"
    path.write_bytes(b"\xff\xfe\x00")
    return path


def _bool_weight(tmp_path):
    return _write(tmp_path, lambda d: d["zones"].update(title=True))


def _version(tmp_path):
    return _write(tmp_path, lambda d: d.update(version="abc"))


@pytest.mark.parametrize(
    ("make", "start"),
    [(lambda p: p, "error: "), (_not_utf8, "error: codebook.yaml, line 1: not UTF-8"),
     (_dup_zones, "error: codebook.yaml, line "), (_syntax, "error: codebook.yaml, line 3: "),
     (_bool_weight, "error: codebook.yaml, line "), (_version, "error: codebook.yaml, line ")],
)
def test_the_cli_says_a_bad_codebook_in_one_line(tmp_path, capsys, make, start):
    book = tmp_path / "book"
    book.mkdir()
    code = main(["build", "--raw", str(seed_raw()), "--codebook", str(make(book)),
                 "--out", str(tmp_path / "out"),
                 "--cache", str(tmp_path / "cache")])
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.splitlines()) == 1 and err.startswith(start)


def test_every_parameter_file_of_the_project_loads():
    assert read_codebook(config.CODEBOOK).version == 1
    for path in sorted(config.ROOT.joinpath("params").glob("*.yaml")):
        if path != config.CODEBOOK:
            assert isinstance(inputs.read_params(path), dict), path
    for path in sorted(config.ROOT.joinpath("params", "reuse").glob("*.yaml")):
        read_reuse_params(path)
