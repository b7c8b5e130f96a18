"""Running the notebooks with papermill and removing what would change on every run."""

from __future__ import annotations

import math
import re
import tempfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath

import nbformat

from msresearch import config
from msresearch.coding.codebook import read_codebook
from msresearch.errors import InputError
from msresearch.io import atomic, inputs
from msresearch.link.reuse import read_reuse_params

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


VARIANT = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")  # it names a folder: figures/<variant>/
LANGS = ("en", "zh")
MEASURES = ("item_share", "text_share")
YEARS = (1949, 2100)  # the People's Republic's documents, and no far-off typo


def _simple_name(value) -> str | None:
    if isinstance(value, str) and VARIANT.fullmatch(value):
        return None
    return (f"{value!r} is not a simple name: letters, digits, '_' and '-', starting with a "
            f"letter or digit (it names the figures' folder)")


def _one_of(choices: tuple[str, ...]) -> Callable[[object], str | None]:
    def check(value) -> str | None:
        if isinstance(value, str) and value in choices:
            return None
        return f"{value!r} is not one of {', '.join(choices)}"
    return check


def _years(value) -> str | None:
    if not isinstance(value, list):
        return f"{value!r} is not a list of years"
    for cut in value:
        if type(cut) is not int or not YEARS[0] <= cut <= YEARS[1]:
            return f"{cut!r} is not a year from {YEARS[0]} to {YEARS[1]}"
    if any(a >= b for a, b in zip(value, value[1:], strict=False)):
        return f"not strictly increasing: {value!r}"
    return None


def _genres(value) -> str | None:
    """A list of genres of the corpus the notebooks read (``documents.csv``): a misspelt
    genre would exclude nothing, without a word."""
    if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
        return f"{value!r} is not a list of genre names"
    known = known_genres()
    unknown = [v for v in value if known is not None and v not in known]
    if unknown:
        return (f"{unknown[0]!r} is no genre of the corpus "
                f"({config.relative(config.PROCESSED / 'documents.csv')} has "
                f"{', '.join(sorted(known))})")
    return None


def known_genres() -> set[str] | None:
    """The genres of the built corpus the notebooks read, or None when it is not built."""
    import pandas as pd

    path = config.PROCESSED / "documents.csv"
    if not path.is_file():
        return None
    return set(pd.read_csv(path, usecols=["genre"], dtype=str, keep_default_na=False)["genre"])


def _positive_int(value) -> str | None:
    if type(value) is int and value > 0:
        return None
    return f"{value!r} is not a positive whole number"


def _positive_number(value) -> str | None:
    if type(value) in (int, float) and math.isfinite(value) and value > 0:
        return None
    return f"{value!r} is not a positive number"


def _codebook_file(value) -> str | None:
    """A codebook inside the project that reads as one (``read_codebook``)."""
    return _project_file(value) or _reads(value, read_codebook)


def _reuse_file(value) -> str | None:
    """The reuse rule's settings inside the project that read as such (``read_reuse_params``)."""
    return _project_file(value) or _reads(value, read_reuse_params)


def _reads(value: str, read: Callable) -> str | None:
    try:
        read(Path(config.ROOT) / value)
    except InputError as err:
        return f"{value!r} does not read: {err}"
    return None


def _project_file(value) -> str | None:
    """A file given by its path from the project root, staying inside the project."""
    if not isinstance(value, str):
        return f"{value!r} is not a path"
    if PurePosixPath(value).is_absolute():
        return f"{value!r} is an absolute path; give it from the project root"
    if ".." in PurePosixPath(value).parts:
        return f"{value!r} has a '..' part; give it from the project root, inside the project"
    root = Path(config.ROOT).resolve()
    path = (root / value).resolve()
    if not path.is_relative_to(root):
        return f"{value!r} resolves outside the project"
    if not path.exists():
        return f"{value!r} not found (paths are from the project root)"
    if not path.is_file():
        return f"{value!r} is not a file"
    return None


def _levels(value) -> str | None:
    if not (isinstance(value, list) and value and all(isinstance(v, str) for v in value)):
        return f"{value!r} is not a non-empty list of levels"
    unknown = [v for v in value if v not in config.LEVELS]
    if unknown:
        return f"{unknown[0]!r} is not a level ({', '.join(config.LEVELS)})"
    return None


def _year_span(value) -> str | None:
    """The first and the last year, both included."""
    if not (isinstance(value, list) and len(value) == 2):
        return f"{value!r} is not [first year, last year]"
    return _years(value) if value[0] != value[1] else None


def _name(value) -> str | None:
    if isinstance(value, str) and value.strip():
        return None
    return f"{value!r} is not a name"


def _corpus(value) -> str | None:
    """A built corpus inside the project, given from its root: a folder with the tables the
    panel is read from."""
    if not isinstance(value, str):
        return f"{value!r} is not a path"
    if PurePosixPath(value).is_absolute() or ".." in PurePosixPath(value).parts:
        return f"{value!r} must be a folder given from the project root, inside the project"
    folder = Path(config.ROOT) / value
    missing = [n for n in PANEL_TABLES if not (folder / n).is_file()]
    if missing:
        return (f"{value!r} has no {missing[0]}: build it first (`make build`, or "
                f"`make panel` for build/panel/processed)")
    return None


PANEL_TABLES = ("documents.csv", "panel.csv", "panel_domains.csv")

# what each parameter a notebook declares may be (papermill passes any value it is given)
PARAMETER_CHECKS: dict[str, Callable[[object], str | None]] = {
    "variant": _simple_name,
    "lang": _one_of(LANGS),
    "measure": _one_of(MEASURES),
    "period_cuts": _years,
    "exclude_genres": _genres,
    "sensitivity_exclude": _genres,
    "min_docs": _positive_int,
    "prior_scale": _positive_number,
    "codebook": _codebook_file,
    "reuse_params": _reuse_file,
    "corpus": _corpus,
    "levels": _levels,
    "years": _year_span,
    "focus": _name,
}


def check_parameters(**parameters) -> None:
    """Check a notebook's parameters before it uses them: ``variant`` a simple name (it
    names a folder), ``lang`` and ``measure`` one of theirs, ``period_cuts`` strictly
    increasing years, the genre lists genres of the built corpus, ``min_docs`` and
    ``prior_scale`` positive, ``codebook`` and ``reuse_params`` files inside the project given
    from its root that read as a codebook and as the reuse rule's settings, ``corpus`` a built
    folder inside the project, ``levels`` known levels, ``years`` a first and last year,
    ``focus`` a name. The first bad
    one is an ``InputError("parameters", …, field=name)``, and so is a name no notebook
    declares (a misspelt ``meausre`` would otherwise leave ``measure`` at
    its default without a word)."""
    for name, value in parameters.items():
        check = PARAMETER_CHECKS.get(name)
        if check is None:
            raise InputError("parameters", f"unknown parameter; the notebooks take "
                             f"{', '.join(sorted(PARAMETER_CHECKS))}", field=name)
        problem = check(value)
        if problem:
            raise InputError("parameters", problem, field=name)


def own_parameter_sets(directory: Path = config.PARAMS) -> dict[str, Path]:
    """The project's own parameter sets (every YAML file in ``params/`` but the codebook), by
    the variant each names: only these write the committed study (the notebooks in place,
    ``figures/`` and ``figures/<variant>/``)."""
    sets = {}
    for path in sorted(Path(directory).glob("*.yaml")):
        if path.name.startswith("codebook"):
            continue
        variant = inputs.read_params(path).get("variant", path.stem)
        sets[str(variant)] = path.resolve()
    return sets


def check_parameter_set(parameters: dict, path: Path) -> None:
    """Refuse a parameter set from outside ``params/`` whose variant is one of the project's
    own: its notebooks and figures would overwrite the committed study's."""
    own = own_parameter_sets()
    variant = parameters.get("variant")
    if variant in own and own[variant] != Path(path).resolve():
        raise InputError("parameters", f"variant {variant!r} is the project's own "
                         f"({config.relative(own[variant])}), whose notebooks and figures are "
                         f"committed; name yours (`variant: …`) to write build/notebooks/<variant>/ "
                         f"and figures/<variant>/", field="variant")


def notebook_paths(directory: Path = config.NOTEBOOKS) -> list[Path]:
    """The notebooks in reading order (their names start with a number)."""
    return sorted(Path(directory).glob("[0-9][0-9]_*.ipynb"))


def output_path(notebook: Path, variant: str) -> Path:
    """Where an executed notebook goes: in place for the default parameter set (committed),
    under build/notebooks/<variant>/ for the others."""
    if variant == config.DEFAULT_VARIANT:
        return notebook
    return config.NOTEBOOK_BUILD / variant / notebook.name


def effective_parameters(notebook: Path, parameters: dict) -> dict:
    """The values a notebook runs with under a parameter set: the set's for the parameters
    the notebook declares, its own defaults for the others; ``variant`` left out (it names
    the output, it is no research choice)."""
    import ast

    import papermill

    declared = papermill.inspect_notebook(str(notebook))
    return {k: parameters[k] if k in parameters else ast.literal_eval(v["default"])
            for k, v in sorted(declared.items()) if k != "variant"}


def same_as_default(notebook: Path, parameters: dict, default: dict) -> bool:
    """Whether a variant's run of ``notebook`` would be the default run's: it would run with
    the same values (``effective_parameters``)."""
    return effective_parameters(notebook, parameters) == effective_parameters(notebook, default)


def remove_variant_outputs(notebook: Path, variant: str) -> list[Path]:
    """Remove what an earlier run of ``notebook`` wrote for ``variant`` (its executed copy and
    its figures, named after the notebook's number), when the variant no longer changes it."""
    prefix = notebook.stem.split("_", 1)[0] + "_"
    stale = [output_path(notebook, variant)] if variant != config.DEFAULT_VARIANT else []
    stale += sorted(config.figure_dir(variant).glob(f"{prefix}*")) \
        if variant != config.DEFAULT_VARIANT else []
    removed = [p for p in stale if p.is_file()]
    for path in removed:
        path.unlink()
    return removed


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
    atomic.write_bytes(output, (nbformat.writes(nb) + "\n").encode("utf-8"))
    return output
