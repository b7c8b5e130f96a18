"""The build's reuse stage: the commitment families of every text the build compares
(``families.build``) as ``reuse.csv``, ``families.csv`` and ``reuse_documents.csv``, each
checked against its schema. The families are grown in one pass over the texts in the order
they appeared, so the stage's work and its tables grow with the number of texts; its result
is cached by the texts, the documents' metadata, the settings and the code."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from msresearch import config
from msresearch.io import inputs, publish, tables
from msresearch.link import families, units
from msresearch.link.reuse import read_reuse_params
from msresearch.pipeline import cache, schemas

TABLES = {"reuse.csv": "reuse", "families.csv": "families", "reuse_documents.csv": "documents"}


def reuse_tables(put: publish.Put, texts: pd.DataFrame, documents: pd.DataFrame,
                 reuse_path: Path, cache_dir: Path) -> list[str]:
    """``reuse.csv``, ``families.csv`` and ``reuse_documents.csv``, handed to ``put``;
    returns a warning for each level missing from a chain of units (``units.gaps``)."""
    params_bytes = inputs.read_bytes(reuse_path)
    params = read_reuse_params(reuse_path)
    chain = ["doc_id", "unit_en", "parent_unit_en", "level", "date", "year"]
    key = cache.key("families", cache.code_version(), cache.sha256(params_bytes),
                    cache.sha256(tables.table_bytes(texts)),
                    cache.sha256(tables.table_bytes(documents.reindex(columns=chain))))
    path = cache.path(cache_dir, "families", key)
    found = cache.read_pickled(path)
    if not (isinstance(found, dict) and set(found) == set(TABLES)):
        result = families.build(texts, documents, params, config.LEVELS)
        found = {name: tables.table_bytes(schemas.check(name, getattr(result, attr)))
                 for name, attr in TABLES.items()}
        cache.write_pickled(path, found)
    for name in TABLES:
        put(name, found[name])
    return units.gaps(documents, units.units(documents))
