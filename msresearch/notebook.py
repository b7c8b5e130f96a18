"""Running the notebooks with papermill and removing what would change on every run."""

from __future__ import annotations

import tempfile
from pathlib import Path

import nbformat

from msresearch import config, io

# Keys that papermill and nbclient fill with times, durations and machine paths.
VOLATILE_NOTEBOOK_KEYS = ("start_time", "end_time", "duration", "exception",
                          "input_path", "output_path", "environment_variables")
VOLATILE_CELL_KEYS = ("papermill", "execution", "ExecuteTime")


def strip_volatile(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Remove timestamps, durations and paths from an executed notebook; outputs are kept."""
    meta = nb.metadata.get("papermill")
    if meta is not None:
        for key in VOLATILE_NOTEBOOK_KEYS:
            meta.pop(key, None)
    # The interpreter's patch version differs between machines that share the lock.
    nb.metadata.get("language_info", {}).pop("version", None)
    for cell in nb.cells:
        for key in VOLATILE_CELL_KEYS:
            cell.metadata.pop(key, None)
        # papermill gives the cell it injects a new random id on every run.
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell["id"] = "injected-parameters"
    return nb


def notebook_paths(directory: Path = config.NOTEBOOKS) -> list[Path]:
    """The notebooks in reading order (their names start with a number)."""
    return sorted(Path(directory).glob("[0-9][0-9]_*.ipynb"))


def output_path(notebook: Path, variant: str) -> Path:
    """Where an executed notebook goes: in place for the default parameter set (committed),
    under build/notebooks/<variant>/ for the others."""
    if variant == config.DEFAULT_VARIANT:
        return notebook
    return config.NOTEBOOK_BUILD / variant / notebook.name


def execute(notebook: Path, parameters: dict, output: Path) -> Path:
    """Execute one notebook with papermill (cwd = notebooks/), passing only the parameters it
    declares, strip volatile metadata, and write it atomically."""
    import papermill

    declared = papermill.inspect_notebook(str(notebook))
    parameters = {k: v for k, v in parameters.items() if k in declared}
    with tempfile.TemporaryDirectory() as tmp:
        executed = Path(tmp) / notebook.name
        papermill.execute_notebook(
            str(notebook), str(executed), parameters=parameters, cwd=str(config.NOTEBOOKS),
            kernel_name="python3", progress_bar=False, log_output=False,
        )
        nb = strip_volatile(nbformat.read(executed, as_version=4))
    io.write_bytes(output, (nbformat.writes(nb) + "\n").encode("utf-8"))
    return output
