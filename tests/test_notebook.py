"""Executed notebooks: no volatile metadata, no machine paths, outputs committed."""

from __future__ import annotations

import json
import re

import nbformat
import pytest

from msresearch import config
from msresearch.notebook import notebook_paths, strip_volatile

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
