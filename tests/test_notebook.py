"""Executed notebooks: no volatile metadata, no machine paths, outputs committed."""

from __future__ import annotations

import ast
import json
import re

import nbformat
import pytest

from msresearch import config
from msresearch.errors import InputError
from msresearch.io import inputs
from msresearch.notebook import check_parameters, notebook_paths, strip_volatile

NOTEBOOKS = notebook_paths()


def test_strip_volatile_removes_times_and_paths_but_keeps_outputs():
    nb = nbformat.v4.new_notebook()
    nb.metadata["papermill"] = {"start_time": "t", "end_time": "t", "duration": 1.0,
                                "input_path": "/x/a.ipynb", "output_path": "/x/b.ipynb",
                                "parameters": {"lang": "en"}, "exception": None}
    nb.metadata["language_info"] = {"name": "python", "version": "3.11.7"}
    cell = nbformat.v4.new_code_cell("1", metadata={"papermill": {"duration": 0.1},
                                                    "execution": {"iopub.status.idle": "t"},
                                                    "tags": ["parameters"]})
    cell.outputs = [nbformat.v4.new_output("stream", text="1\n")]
    injected = nbformat.v4.new_code_cell("lang = 'en'", metadata={"tags": ["injected-parameters"]})
    nb.cells = [cell, injected]
    strip_volatile(nb)
    assert nb.metadata["papermill"] == {"parameters": {"lang": "en"}}
    assert nb.metadata["language_info"] == {"name": "python"}
    assert dict(nb.cells[0].metadata) == {"tags": ["parameters"]}
    assert nb.cells[0].outputs[0]["text"] == "1\n"
    assert nb.cells[1]["id"] == "injected-parameters"


def test_notebooks_exist_in_reading_order():
    assert [p.name for p in NOTEBOOKS][:1] == ["01_corpus.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_notebook_is_executed_and_portable(path):
    text = path.read_text(encoding="utf-8")
    nb = json.loads(text)
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(c.get("execution_count") for c in code), "every code cell was executed"
    assert any(c["outputs"] for c in code)
    assert not re.search(r"/(work|root|tmp|home|Users)/[\w.-]+", text), "machine path in outputs"
    assert "start_time" not in text and '"execution":' not in text
    assert not any(o.get("name") == "stderr" for c in code for o in c["outputs"]), "stderr output"
    assert nb["metadata"]["papermill"]["parameters"]["variant"] == config.DEFAULT_VARIANT
    first = nb["cells"][0]
    assert first["cell_type"] == "markdown" and "**Question.**" in "".join(first["source"])


def _cell_source(cell) -> str:
    return "".join(cell["source"])


def _declared(nb) -> tuple[list[str], dict]:
    """The names the cell tagged ``parameters`` assigns, in order, and their default values."""
    cell = next(c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", []))
    names = [t.id for node in ast.parse(_cell_source(cell)).body if isinstance(node, ast.Assign)
             for t in node.targets]
    values: dict = {}
    exec(_cell_source(cell), {}, values)  # the notebook's own defaults: plain literals
    return names, values


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_notebook_checks_its_parameters_first(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    names, _ = _declared(nb)
    start = next(i for i, c in enumerate(nb["cells"])
                 if "parameters" in c["metadata"].get("tags", []))
    cell = next(c for c in nb["cells"][start + 1:] if c["cell_type"] == "code"
                and "injected-parameters" not in c["metadata"].get("tags", []))
    body = ast.parse(_cell_source(cell)).body
    first = next(i for i, node in enumerate(body)
                 if not isinstance(node, ast.Import | ast.ImportFrom))
    assert any(isinstance(node, ast.ImportFrom) and node.module == "msresearch"
               and "notebook" in [a.name for a in node.names] for node in body[:first])
    call = body[first].value if isinstance(body[first], ast.Expr) else None
    assert isinstance(call, ast.Call) and ast.unparse(call.func) == "notebook.check_parameters", \
        f"{path.name}: the first statement after the imports is not notebook.check_parameters"
    assert not call.args
    assert [k.arg for k in call.keywords] == names
    assert all(isinstance(k.value, ast.Name) and k.value.id == k.arg for k in call.keywords)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_each_notebooks_defaults_pass_the_check(path):
    _, values = _declared(json.loads(path.read_text(encoding="utf-8")))
    assert check_parameters(**values) is None


PARAM_SETS = [p for p in sorted(config.PARAMS.glob("*.yaml")) if p != config.CODEBOOK]


@pytest.mark.parametrize("path", PARAM_SETS, ids=lambda p: p.name)
def test_the_committed_parameter_sets_pass_the_check(path):
    parameters = inputs.read_params(path)
    parameters.setdefault("variant", path.stem)
    check_parameters(**parameters)


@pytest.mark.parametrize(("name", "value", "expected"), [
    ("variant", "../../x", "'../../x' is not a simple name"),
    ("variant", "a/b", "'a/b' is not a simple name"),
    ("variant", "..", "'..' is not a simple name"),
    ("variant", ".hidden", "'.hidden' is not a simple name"),
    ("variant", "", "'' is not a simple name"),
    ("variant", "two words", "'two words' is not a simple name"),
    ("variant", "x\ny", "'x\\ny' is not a simple name"),
    ("variant", 3, "3 is not a simple name"),
    ("lang", "fr", "'fr' is not one of en, zh"),
    ("lang", None, "None is not one of en, zh"),
    ("measure", "n_items", "'n_items' is not one of item_share, text_share"),
    ("period_cuts", 2020, "2020 is not a list of years"),
    ("period_cuts", "[2020]", "'[2020]' is not a list of years"),
    ("period_cuts", ["2020"], "'2020' is not a year from 1949 to 2100"),
    ("period_cuts", [True], "True is not a year from 1949 to 2100"),
    ("period_cuts", [1800], "1800 is not a year from 1949 to 2100"),
    ("period_cuts", [2020.5], "2020.5 is not a year from 1949 to 2100"),
    ("period_cuts", [2021, 2020], "not strictly increasing: [2021, 2020]"),
    ("period_cuts", [2020, 2020], "not strictly increasing: [2020, 2020]"),
    ("exclude_genres", "implementation_opinions",
     "'implementation_opinions' is not a list of genre names"),
    ("exclude_genres", [1], "[1] is not a list of genre names"),
    ("sensitivity_exclude", None, "None is not a list of genre names"),
    ("min_docs", 0, "0 is not a positive whole number"),
    ("min_docs", -2, "-2 is not a positive whole number"),
    ("min_docs", 1.5, "1.5 is not a positive whole number"),
    ("min_docs", True, "True is not a positive whole number"),
    ("min_docs", "2", "'2' is not a positive whole number"),
    ("prior_scale", 0, "0 is not a positive number"),
    ("prior_scale", float("nan"), "nan is not a positive number"),
    ("prior_scale", "1", "'1' is not a positive number"),
    ("codebook", "/etc/passwd", "'/etc/passwd' is an absolute path"),
    ("codebook", "../x.yaml", "'../x.yaml' has a '..' part"),
    ("codebook", "params/../params/codebook.yaml", "has a '..' part"),
    ("codebook", "params/nope.yaml", "'params/nope.yaml' not found"),
    ("codebook", "params", "'params' is not a file"),
    ("codebook", "", "'' is not a file"),
    ("codebook", 3, "3 is not a path"),
    ("reuse_params", str(config.REUSE_PARAMS), "is an absolute path"),
    ("reuse_params", "params/reuse/nope.yaml", "'params/reuse/nope.yaml' not found"),
    ("corpus", "/tmp", "'/tmp' must be a folder given from the project root"),
    ("corpus", "../x", "'../x' must be a folder given from the project root"),
    ("corpus", "params", "'params' has no documents.csv: build it first"),
    ("corpus", ["data/processed"], "is not a path"),
    ("levels", ["province", "prefecture"], "'prefecture' is not a level"),
    ("levels", [], "[] is not a non-empty list of levels"),
    ("levels", "province", "'province' is not a non-empty list of levels"),
    ("years", [2017], "[2017] is not [first year, last year]"),
    ("years", [2023, 2017], "not strictly increasing: [2023, 2017]"),
    ("years", [2017, "2023"], "'2023' is not a year"),
    ("focus", "", "'' is not a name"),
    ("focus", ["Anhui"], "['Anhui'] is not a name"),
])
def test_a_bad_parameter_is_one_line_naming_it(name, value, expected):
    with pytest.raises(InputError) as err:
        check_parameters(**{name: value})
    assert err.value.file == "parameters" and err.value.field == name
    assert str(err.value).startswith(f"parameters, field '{name}': ") and expected in str(err.value)
    assert "\n" not in str(err.value)


def test_a_path_parameter_must_not_lead_out_of_the_project(tmp_path, monkeypatch):
    project, outside = tmp_path / "project", tmp_path / "codebook.yaml"
    (project / "params").mkdir(parents=True)
    outside.write_text("scheme: x\n", encoding="utf-8")
    (project / "params" / "link.yaml").symlink_to(outside)
    monkeypatch.setattr(config, "ROOT", project)
    with pytest.raises(InputError, match="field 'codebook': 'params/link.yaml' resolves "
                                         "outside the project"):
        check_parameters(codebook="params/link.yaml")


def test_a_stale_number_in_the_panel_notebooks_prose_fails_nbval(tmp_path):
    """Notebook 06's prose numbers are outputs of code: nbval, rerunning it, refuses a
    committed number the data no longer give (here the first prose output's first number)."""
    import subprocess
    import sys

    nb = nbformat.read(config.NOTEBOOKS / "06_panel.ipynb", as_version=4)
    at = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code" and any(
        "text/markdown" in o.get("data", {}) for o in c.get("outputs", [])))
    output = next(o for o in nb.cells[at].outputs if "text/markdown" in o.get("data", {}))
    prose = output["data"]["text/markdown"]
    number = re.search(r"\d+", prose)
    output["data"]["text/markdown"] = (prose[:number.start()] + str(int(number.group()) + 1)
                                       + prose[number.end():])
    nb.cells = nb.cells[:at + 1]  # nbval need not run the rest
    path = tmp_path / "06_panel.ipynb"
    nbformat.write(nb, path)
    argv = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval",
            "--nbval-current-env", "--nbval-sanitize-with",
            str(config.NOTEBOOKS / "sanitize.cfg"), str(path)]
    stale = subprocess.run(argv, capture_output=True, text=True, cwd=tmp_path, check=False)
    assert stale.returncode == 1 and "1 failed" in stale.stdout, stale.stdout[-2000:]
    output["data"]["text/markdown"] = prose
    nbformat.write(nb, path)
    fresh = subprocess.run(argv, capture_output=True, text=True, cwd=tmp_path, check=False)
    assert fresh.returncode == 0, fresh.stdout[-2000:]
