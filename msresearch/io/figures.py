"""Saving figures: PNG and SVG without volatile metadata, with a sidecar saying where each
came from."""

from __future__ import annotations

from pathlib import Path

from msresearch import config
from msresearch.io.atomic import _atomic_write, write_bytes


def provenance(notebook: str, parameters: dict, inputs: tuple[str, ...] = (),
               directory: Path = config.PROCESSED) -> dict:
    """Where a figure came from: notebook, parameter set, package version and the SHA-256 of
    the tables it read in the build's ``directory`` (all its *.csv when ``inputs`` is
    empty)."""
    import hashlib

    from msresearch import __version__

    directory = Path(directory)
    names = inputs or tuple(sorted(p.name for p in directory.glob("*.csv")))
    return {
        "notebook": notebook,
        "parameters": dict(sorted(parameters.items())),
        "msresearch_version": __version__,
        "inputs": {config.relative(directory / n): hashlib.sha256((directory / n).read_bytes())
                   .hexdigest() for n in names},
    }


def save_figure(fig, name: str, directory: Path = config.FIGURES,
                provenance: dict | None = None) -> list[Path]:
    """Save a figure as PNG and SVG with no volatile metadata, so reruns give the same bytes;
    with ``provenance``, also a ``<name>.json`` sidecar saying where it came from."""
    import json

    import matplotlib

    directory = Path(directory)
    paths = []
    if provenance is not None:
        sidecar = directory / f"{name}.json"
        write_bytes(sidecar, (json.dumps(provenance, ensure_ascii=False, indent=1, sort_keys=True)
                              + "\n").encode("utf-8"))
        paths.append(sidecar)
    with matplotlib.rc_context({"svg.hashsalt": config.SVG_HASHSALT, "svg.id": name}):
        for ext, metadata in (("png", {"Software": None}), ("svg", {"Date": None})):
            path = directory / f"{name}.{ext}"

            def write(tmp: Path, ext=ext, metadata=metadata) -> None:
                fig.savefig(tmp, format=ext, metadata=metadata, dpi=150, bbox_inches="tight")

            _atomic_write(path, write)
            paths.append(path)
    return paths
