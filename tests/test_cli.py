"""The command line: the build's outputs, and bad input as one line with exit status 2."""

from __future__ import annotations

import subprocess
import sys

import pytest

from msresearch import config
from msresearch.cli import main
from msresearch.io import inputs
from tests.conftest import manifest_rows, seed_raw, write_rows


def test_build_regenerates_the_committed_tables_byte_for_byte(tmp_path):
    assert main(["build", "--out", str(tmp_path)]) == 0
    built = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    committed = sorted(p.relative_to(config.PROCESSED) for p in config.PROCESSED.rglob("*")
                       if p.is_file() and p.name != "README.md")
    assert built == committed
    for rel in built:
        assert (tmp_path / rel).read_bytes() == (config.PROCESSED / rel).read_bytes(), rel


def test_documents_table_measures_each_seed(tmp_path):
    main(["build", "--raw", str(seed_raw()), "--out", str(tmp_path)])
    import pandas as pd

    docs = pd.read_csv(tmp_path / "documents.csv", keep_default_na=False)
    assert docs["doc_id"].tolist() == sorted(docs["doc_id"])
    assert set(docs["encoding"]) == {"utf-8"}
    counts = docs.set_index("source_name")[["n_items", "n_procedural", "declared_items"]]
    assert counts.to_dict("index") == {
        "000_df99e755239e2b73.txt": {"n_items": 53, "n_procedural": 0, "declared_items": ""},
        "001_ceebdb6268b5adbd.txt": {"n_items": 9, "n_procedural": 6, "declared_items": ""},
        "002_6ea628c6c31bb406.txt": {"n_items": 33, "n_procedural": 7, "declared_items": "33"},
        "003_8fd09e1a811cab19.txt": {"n_items": 50, "n_procedural": 0, "declared_items": "50"},
        "004_a10c3a5da47eefe3.txt": {"n_items": 54, "n_procedural": 0, "declared_items": ""},
    }
    assert (docs["n_chars_clean"] < docs["n_chars_raw"]).sum() == 4  # Xuancheng has no furniture


def _snapshot(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _edit_row(raw, row, old, new):
    """Replace ``old`` by ``new`` once in data row ``row`` of the manifest."""
    rows = manifest_rows(raw / "manifest.csv")
    rows[row] = rows[row].replace(old, new, 1)
    write_rows(raw / "manifest.csv", rows)


def _replace_file(raw, row, name, data):
    """Put other bytes in a raw file and clear its checksum, as for a new document."""
    (raw / name).write_bytes(data)
    _edit_row(raw, row, manifest_rows(raw / "manifest.csv")[row].split(",")[16], "")


def _no_items(raw):
    _replace_file(raw, 2, "2019-xuancheng.txt", "关于做好民生工作的通知\n请认真贯彻执行。\n".encode())
    return "manifest.csv, line 3, field 'file': 2019-xuancheng.txt: no item found"


def _duplicate_id(raw):
    _edit_row(raw, 2, "2019-xuancheng,", "2017-fuyang,")
    return "manifest.csv, line 3, field 'doc_id': duplicate doc_id '2017-fuyang' (also line 2)"


def _unknown_level(raw):
    _edit_row(raw, 5, ",city,", ",prefecture,")
    return "manifest.csv, line 6, field 'level': unknown level 'prefecture'"


def _corrupt_year(raw):
    _edit_row(raw, 3, ",2020,2020,2020,", ",2020,MMXX,2020,")
    return "manifest.csv, line 4, field 'period_start': not a four-digit year: 'MMXX'"


def _drop_column(raw):
    import pandas as pd

    manifest = pd.read_csv(raw / "manifest.csv", dtype=str, keep_default_na=False)
    manifest.drop(columns="notes").to_csv(raw / "manifest.csv", index=False)
    return "manifest.csv, line 1, field 'notes': missing column(s): notes"


def _changed_file(raw):
    (raw / "2020-taihe.txt").write_bytes(b"")
    return "manifest.csv, line 5, field 'sha256': checksum mismatch: 2020-taihe.txt has e3b0c4"


def _empty_file(raw):
    _replace_file(raw, 4, "2020-taihe.txt", "\r\n\u3000\n".encode())
    return "manifest.csv, line 5, field 'file': 2020-taihe.txt: empty document"


def _undecodable_file(raw):
    _replace_file(raw, 4, "2020-taihe.txt", bytes(range(128, 256)) * 3)
    return "manifest.csv, line 5, field 'file': 2020-taihe.txt: cannot decode"


def _missing_file(raw):
    (raw / "2023-bozhou.txt").unlink()
    return "manifest.csv, line 6, field 'file': 2023-bozhou.txt: raw file not found"


def _doc_id_with_a_newline(raw):
    """A quoted cell whose doc_id ends with a line break (``$`` matched before it)."""
    _edit_row(raw, 3, "2020-anhui,", '"2020-anhui\n",')
    return "manifest.csv, line 4, field 'doc_id': doc_id '2020-anhui\\n' is not a simple identifier"


def _long_doc_id(raw):
    _edit_row(raw, 3, "2020-anhui,", "a" * 300 + ",")
    return "manifest.csv, line 4, field 'doc_id': doc_id of 300 characters: at most 100"


def _doc_id_with_a_control_character(raw):
    _edit_row(raw, 3, "2020-anhui,", "2020-anhui\x1b,")
    return "manifest.csv, line 4, field 'doc_id': doc_id '2020-anhui\\x1b' is not a simple"


@pytest.mark.parametrize("corrupt", [_corrupt_year, _drop_column, _changed_file, _empty_file,
                                     _undecodable_file, _missing_file, _no_items,
                                     _duplicate_id, _unknown_level, _doc_id_with_a_newline,
                                     _long_doc_id, _doc_id_with_a_control_character])
def test_bad_input_is_one_line_exit_2_and_outputs_survive(corpus, tmp_path, corrupt):
    out = tmp_path / "out"
    assert main(["build", "--raw", str(corpus), "--manifest", str(corpus / "manifest.csv"),
                 "--out", str(out)]) == 0
    before = _snapshot(out)
    assert "clean/2020-anhui.txt" in before
    expected = corrupt(corpus)
    proc = subprocess.run(
        [sys.executable, "-m", "msresearch", "build", "--raw", str(corpus),
         "--manifest", str(corpus / "manifest.csv"), "--out", str(out)],
        capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr
    assert expected in lines[0]
    assert _snapshot(out) == before
    left = [p for p in tmp_path.glob(".out.*") if p.name != ".out.lock"]  # the lock stays
    assert not left, "temporary build folder left behind"


def test_validate_reports_the_corpus_and_stale_outputs(capsys, tmp_path):
    assert main(["validate"]) == 0
    assert capsys.readouterr().out.strip() == (
        "ok: 282 document(s) readable, checksums match, data/processed is current")
    main(["build", "--raw", str(seed_raw()), "--out", str(tmp_path)])
    (tmp_path / "items.csv").write_text("changed", encoding="utf-8")
    (tmp_path / "clean" / "2020-anhui.txt").unlink()
    capsys.readouterr()
    assert main(["validate", "--raw", str(seed_raw()), "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "out of date" in err and "items.csv" in err and "clean/2020-anhui.txt" in err


def _inputs(raw, out, *extra):
    return ["--raw", str(raw), "--manifest", str(raw / "manifest.csv"), "--out", str(out),
            "--cache", str(raw.parent / "cache"), *extra]


def _one_error_line(capsys, expected: str) -> str:
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err[-3000:]
    assert lines[0].startswith("error: ") and expected in lines[0], lines[0]
    return lines[0]


@pytest.mark.parametrize("verb", ["build", "validate"])
@pytest.mark.parametrize(("out", "expected"), [
    (lambda raw: raw, "is the raw folder or inside it"),
    (lambda raw: raw / "out", "is the raw folder or inside it"),
    (lambda raw: raw.parent, "holds the raw folder"),
])
def test_out_must_not_be_or_hold_the_raw_folder(corpus, capsys, verb, out, expected):
    before = _snapshot(corpus)
    assert main([verb, *_inputs(corpus, out(corpus))]) == 2
    _one_error_line(capsys, expected)
    assert _snapshot(corpus) == before


@pytest.mark.parametrize("verb", ["build", "validate"])
def test_cache_must_not_be_inside_the_raw_folder(corpus, capsys, verb):
    before = _snapshot(corpus)
    args = _inputs(corpus, corpus.parent / "out")
    args[args.index("--cache") + 1] = str(corpus / "cache")
    assert main([verb, *args]) == 2
    _one_error_line(capsys, "--cache")
    assert _snapshot(corpus) == before


@pytest.mark.parametrize("verb", ["build", "validate"])
def test_out_that_is_a_file_is_refused(corpus, capsys, verb):
    out = corpus.parent / "out.csv"
    out.write_text("not a folder", encoding="utf-8")
    assert main([verb, *_inputs(corpus, out)]) == 2
    _one_error_line(capsys, "out.csv, field '--out': exists and is not a folder")
    assert out.read_text(encoding="utf-8") == "not a folder"


def _manifest_folder(raw):
    return ["--manifest", str(raw)], "raw, field '--manifest': is a folder, not a file"


def _codebook_folder(raw):
    return ["--codebook", str(raw)], "raw, field '--codebook': is a folder, not a file"


def _manifest_missing(raw):
    return ["--manifest", str(raw / "nope.csv")], "nope.csv, field '--manifest': not found"


def _codebook_missing(raw):
    return ["--codebook", str(raw / "nope.yaml")], "nope.yaml, field '--codebook': not found"


def _raw_missing(raw):
    return ["--raw", str(raw.parent / "nowhere")], "nowhere, field '--raw': not found"


def _empty_manifest(raw):
    (raw / "manifest.csv").write_bytes(b"")
    return [], "manifest.csv: the manifest is empty: it lists no documents"


def _blank_manifest(raw):
    (raw / "manifest.csv").write_bytes(b"\xef\xbb\xbf\r\n\n")
    return [], "manifest.csv: the manifest is empty: it lists no documents"


def _header_only_manifest(raw):
    write_rows(raw / "manifest.csv", manifest_rows(raw / "manifest.csv")[:1])
    return [], "manifest.csv: the manifest lists no documents, only its header line"


def _cache_is_a_file(raw):
    (raw.parent / "cachefile").write_text("not a folder\n")
    return (["--cache", str(raw.parent / "cachefile")],
            "cachefile, field '--cache': exists and is not a folder")


def _cache_is_a_device(raw):
    return ["--cache", "/dev/null"], "field '--cache': exists and is not a folder"


@pytest.mark.parametrize("verb", ["build", "validate"])
@pytest.mark.parametrize("bad", [_manifest_folder, _codebook_folder, _manifest_missing,
                                 _codebook_missing, _raw_missing, _empty_manifest,
                                 _blank_manifest, _header_only_manifest, _cache_is_a_file,
                                 _cache_is_a_device])
def test_bad_input_paths_are_one_line_exit_2(corpus, tmp_path, capsys, verb, bad):
    extra, expected = bad(corpus)
    assert main([verb, *_inputs(corpus, tmp_path / "out"), *extra]) == 2
    _one_error_line(capsys, expected)
    assert not (tmp_path / "out").exists()


def test_a_digest_with_blanks_around_it_is_the_digest(corpus, tmp_path, capsys):
    rows = manifest_rows(corpus / "manifest.csv")
    cells = rows[3].split(",")
    cells[16] = cells[16] + " "
    rows[3] = ",".join(cells)
    write_rows(corpus / "manifest.csv", rows)
    assert main(["build", *_inputs(corpus, tmp_path / "out")]) == 0
    assert "sha256" not in capsys.readouterr().err
    cells[16] = cells[16].strip()[:-1] + "0 "  # a wrong digest is said once, clearly
    rows[3] = ",".join(cells)
    write_rows(corpus / "manifest.csv", rows)
    assert main(["build", *_inputs(corpus, tmp_path / "out")]) == 2
    line = _one_error_line(capsys, "line 4, field 'sha256': checksum mismatch")
    actual, said = line.split(" has ")[1].split(", manifest says ")
    assert actual != said and said == cells[16].strip()


def test_many_unreadable_documents_are_listed_up_to_a_cap_with_a_total(corpus, capsys, tmp_path):
    rows = manifest_rows(corpus / "manifest.csv")
    template = rows[1].split(",")
    for k in range(45):
        template[0], template[1] = f"missing-{k:03d}", f"missing-{k:03d}.txt"
        rows.append(",".join(template))
    write_rows(corpus / "manifest.csv", rows)
    assert main(["build", *_inputs(corpus, tmp_path / "out")]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 21
    assert all("raw file not found" in line for line in lines[:20])
    assert lines[-1] == "error: … and 25 more: 45 documents cannot be read"


@pytest.mark.parametrize("verb", ["build", "validate"])
def test_raw_without_manifest_reads_the_manifest_in_that_folder(corpus, tmp_path, capsys, verb):
    other = tmp_path / "other"
    other.mkdir()
    (other / "2020-taihe.txt").write_bytes((corpus / "2020-taihe.txt").read_bytes())
    rows = manifest_rows(corpus / "manifest.csv")
    write_rows(other / "manifest.csv", [rows[0], next(r for r in rows if r.startswith("2020-taihe,"))])
    args = ["--raw", str(other), "--out", str(tmp_path / "out"), "--cache", str(tmp_path / "c")]
    if verb == "validate":
        assert main(["build", *args]) == 0
        capsys.readouterr()
    assert main([verb, *args]) == 0
    assert "1 " in capsys.readouterr().out  # one document: that folder's, not the project's
    (other / "manifest.csv").unlink()
    assert main([verb, *args]) == 2
    _one_error_line(capsys, "other, field '--raw': has no manifest.csv: give the manifest")


@pytest.mark.parametrize("verb", ["build", "validate"])
@pytest.mark.parametrize(("out", "cache"), [("same", "same"), ("out", "out/cache"),
                                            ("cache/out", "cache")])
def test_out_and_cache_may_not_nest(corpus, tmp_path, capsys, verb, out, cache):
    args = ["--raw", str(corpus), "--out", str(tmp_path / out), "--cache", str(tmp_path / cache)]
    assert main([verb, *args]) == 2
    _one_error_line(capsys, "field '--out': and the cache (")
    assert not (tmp_path / out).exists()


def test_two_rows_naming_one_file_are_a_notice(corpus, tmp_path, capsys):
    rows = manifest_rows(corpus / "manifest.csv")
    twin = next(r for r in rows if r.startswith("2020-taihe,")).replace("2020-taihe,", "2020-twin,", 1)
    write_rows(corpus / "manifest.csv", rows + [twin])
    assert main(["build", *_inputs(corpus, tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    assert ("notice: manifest.csv: lines 5 and 7 name the same file (2020-taihe.txt): two "
            "documents with one text") in err


@pytest.mark.parametrize(("line", "expected"), [
    ("variant: ../../x", "field 'variant': '../../x' is not a simple name"),
    ("lang: fr", "field 'lang': 'fr' is not one of en, zh"),
    ("measure: words", "field 'measure': 'words' is not one of item_share, text_share"),
    ("period_cuts: [2021, 2020]", "field 'period_cuts': not strictly increasing"),
    ("codebook: /etc/passwd", "field 'codebook': '/etc/passwd' is an absolute path"),
    ("meausre: text_share", "field 'meausre': unknown parameter; the notebooks take codebook, "),
    ("exclude_genres: [implementation_opinion]", "field 'exclude_genres': "
     "'implementation_opinion' is no genre of the corpus (data/processed/documents.csv has "
     "implementation_opinions, "),
    ("sensitivity_exclude: [work_priorities, 实施意见]", "field 'sensitivity_exclude': '实施意见' "
     "is no genre of the corpus"),
    ("codebook: README.md", "field 'codebook': 'README.md' does not read: README.md"),
    ("reuse_params: params/codebook.yaml", "field 'reuse_params': 'params/codebook.yaml' does "
     "not read: params/codebook.yaml"),
])
def test_bad_notebook_parameters_are_one_line_exit_2_before_any_notebook_runs(
        tmp_path, capsys, monkeypatch, line, expected):
    from msresearch import notebook

    ran = []
    monkeypatch.setattr(notebook, "execute", lambda *args: ran.append(args) or args[2])
    params = tmp_path / "bad.yaml"
    params.write_text(line + "\n", encoding="utf-8")
    assert main(["notebooks", "--params", str(params)]) == 2
    _one_error_line(capsys, "bad.yaml, " + expected)
    assert ran == []


@pytest.mark.parametrize(("name", "text", "variant"), [
    ("default.yaml", "lang: zh\n", "default"),  # named after the file, as the tester did
    ("mine.yaml", "variant: default\n", "default"),
    ("zh.yaml", "lang: en\n", "zh"),
    ("other.yaml", "variant: text_share\nmeasure: item_share\n", "text_share"),
])
def test_a_parameter_set_from_elsewhere_never_writes_the_committed_study(
        tmp_path, capsys, monkeypatch, name, text, variant):
    """Only the project's own parameter sets (params/*.yaml) may use their variants, whose
    notebooks and figures are committed; run from elsewhere, nothing is executed."""
    from msresearch import notebook

    ran = []
    monkeypatch.setattr(notebook, "execute", lambda *args: ran.append(args) or args[2])
    params = tmp_path / name
    params.write_text(text, encoding="utf-8")
    assert main(["notebooks", "--params", str(params)]) == 2
    line = _one_error_line(capsys, f"{name}, field 'variant': variant {variant!r} is the "
                                   f"project's own (params/")
    assert "name yours" in line
    assert ran == []
    # renamed, and in Chinese (as the default run it would be skipped), it runs into its own
    own_lines = [line for line in text.splitlines() if not line.startswith(("variant:", "lang:"))]
    params.write_text("\n".join(["variant: mine", "lang: zh", *own_lines]) + "\n",
                      encoding="utf-8")
    assert main(["notebooks", "--params", str(params), "--only", "01_corpus"]) == 0
    assert [args[2] for args in ran] == [config.NOTEBOOK_BUILD / "mine" / "01_corpus.ipynb"]


def test_the_projects_own_parameter_sets_run(monkeypatch):
    from msresearch import notebook

    ran = []
    monkeypatch.setattr(notebook, "execute", lambda *args: ran.append(args) or args[2])
    own = sorted(p for p in config.PARAMS.glob("*.yaml") if not p.name.startswith("codebook"))
    assert main(["notebooks", "--params", *map(str, own), "--only", "01_corpus"]) == 0
    assert config.NOTEBOOKS / "01_corpus.ipynb" in [args[2] for args in ran]
    # the corpus notebook takes only the figure language: the sets in another language run it
    assert set(notebook.effective_parameters(config.NOTEBOOKS / "01_corpus.ipynb", {})) == {"lang"}
    sets = [inputs.read_params(p) for p in own]
    other = [s for s in sets if s.get("lang", "en") != "en"]
    assert other and len(ran) == 1 + len(other)


def test_a_params_file_whose_name_is_no_simple_name_is_refused(tmp_path, capsys, monkeypatch):
    from msresearch import notebook

    ran = []
    monkeypatch.setattr(notebook, "execute", lambda *args: ran.append(args) or args[2])
    params = tmp_path / "two words.yaml"
    params.write_text("lang: en\n", encoding="utf-8")
    assert main(["notebooks", "--params", str(params)]) == 2
    line = _one_error_line(capsys, "two words.yaml, field 'variant': 'two words' is not a simple name")
    assert line.endswith("; it is the file's name: set `variant:`")
    assert ran == []


@pytest.mark.parametrize("only", [["nosuchnotebook"], ["01_corpus", "1_corpus"], []])
def test_only_names_notebooks_that_exist(tmp_path, capsys, monkeypatch, only):
    from msresearch import notebook

    ran = []
    monkeypatch.setattr(notebook, "execute", lambda *args: ran.append(args) or args[2])
    assert main(["notebooks", "--only", *only]) == 2
    _one_error_line(capsys, "error: --only: ")
    assert ran == []
    assert main(["notebooks", "--only", "01_corpus", "02_coding.ipynb"]) == 0
    assert [args[0].name for args in ran] == ["01_corpus.ipynb", "02_coding.ipynb"]


@pytest.mark.parametrize("argv", [["build", "--jobs", "0"], ["build", "--max-file-mb", "0"],
                                  ["validate", "--no-such-flag"], ["frobnicate"], []])
def test_a_usage_error_is_one_line_exit_2(capsys, argv):
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2
    _one_error_line(capsys, "error: msresearch")


@pytest.mark.parametrize("detail", ["folder", "missing/detail.csv"])
def test_evaluate_refuses_a_detail_file_it_cannot_write_before_any_work(tmp_path, capsys,
                                                                        detail):
    (tmp_path / "folder").mkdir()
    status = main(["evaluate", str(config.ROOT / "tests" / "genre"), "--detail",
                   str(tmp_path / detail)])
    assert status == 2
    _one_error_line(capsys, "field '--detail': ")


def test_max_file_mb_sets_the_raw_file_limit(corpus, tmp_path, capsys):
    args = ["--raw", str(corpus), "--manifest", str(corpus / "manifest.csv"),
            "--out", str(tmp_path / "out"), "--cache", str(tmp_path / "cache")]
    assert main(["build", *args, "--max-file-mb", "0.01"]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 5 and all(line.startswith("error: ") for line in lines)
    assert all("over the 0.01 MB limit (--max-file-mb)" in line for line in lines)
    assert not (tmp_path / "out").exists()
    assert main(["validate", *args, "--max-file-mb", "0.01"]) == 2
    capsys.readouterr()
    assert main(["build", *args, "--max-file-mb", "5"]) == 0
    with pytest.raises(SystemExit) as exit_:
        main(["build", *args, "--max-file-mb", "-1"])
    assert exit_.value.code == 2


def test_a_variant_runs_only_the_notebooks_whose_parameters_it_changes(tmp_path, capsys,
                                                                         monkeypatch):
    from msresearch import notebook

    ran = []
    monkeypatch.setattr(notebook, "execute", lambda *args: ran.append(args) or args[2])
    monkeypatch.setattr(config, "FIGURES", tmp_path / "figures")
    monkeypatch.setattr(config, "NOTEBOOK_BUILD", tmp_path / "build")
    (tmp_path / "figures" / "mine").mkdir(parents=True)
    stale = tmp_path / "figures" / "mine" / "03_shares_heatmap.png"  # from an earlier run
    stale.write_bytes(b"png")
    params = tmp_path / "mine.yaml"
    params.write_text("variant: mine\nreuse_params: params/reuse/loose.yaml\n", encoding="utf-8")
    assert main(["notebooks", "--params", str(params)]) == 0
    declaring = [p.name for p in notebook.notebook_paths()
                 if "reuse_params" in notebook.effective_parameters(p, {})]
    assert declaring and [args[0].name for args in ran] == declaring
    assert not stale.exists()
    assert "skipped 01_corpus.ipynb [mine]" in capsys.readouterr().out
    ran.clear()
    params.write_text("variant: mine\nlang: zh\n", encoding="utf-8")  # every notebook draws
    assert main(["notebooks", "--params", str(params)]) == 0
    assert [args[0].name for args in ran] == [p.name for p in notebook.notebook_paths()]


def test_pairs_prints_the_rule_s_figures_for_two_documents_and_refuses_an_unknown_one(capsys):
    import io

    import pandas as pd

    from msresearch.link import reuse
    from msresearch.measure import study

    assert main(["pairs", "2020-anhui", "2020-taihe"]) == 0
    printed = pd.read_csv(io.StringIO(capsys.readouterr().out), keep_default_na=False)
    assert set(printed["label"]) == {"same", "related"}
    assert set(printed["doc_a"]) | set(printed["doc_b"]) == {"2020-anhui", "2020-taihe"}
    everything = study.pairs_between("2020-anhui", "2020-taihe")
    kept = everything[everything["label"] != reuse.DIFFERENT].reset_index(drop=True)
    assert printed["item_a"].tolist() == kept["item_a"].tolist()
    assert printed["weighted_containment"].round(6).tolist() == kept["weighted_containment"].round(6).tolist()
    # every inherited Taihe item of reuse.csv that follows the province is a same pair here
    table = inputs.read_table("reuse.csv").fillna("")
    follows = table[(table["doc_id"] == "2020-taihe") & (table["follows_doc"] == "2020-anhui")]
    same = set(zip(printed.loc[printed["label"] == "same", "item_a"],
                   printed.loc[printed["label"] == "same", "item_b"], strict=True))
    assert len(follows) > 0 and set(zip(follows["follows"], follows["text_id"], strict=True)) <= same
    assert main(["pairs", "2020-anhui", "no-such-doc"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no-such-doc" in err[0] and "doc_id" in err[0]
