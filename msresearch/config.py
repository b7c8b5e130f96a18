"""Every path and fixed setting of the project, derived from the package's own location."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

DATA = ROOT / "data"
RAW = DATA / "raw"
MANIFEST = RAW / "manifest.csv"
PROCESSED = DATA / "processed"
FIGURES = ROOT / "figures"
NOTEBOOKS = ROOT / "notebooks"
PARAMS = ROOT / "params"
DEFAULT_PARAMS = PARAMS / "default.yaml"
CODEBOOK = PARAMS / "codebook.yaml"
REUSE_PARAMS = PARAMS / "reuse" / "default.yaml"  # the reuse rule's settings

# Administrative levels, from the top down; the order is used in tables and figures.
LEVELS = ("national", "province", "city", "county")
# The province the study follows closely, by its English name (documents.csv unit_en).
FOCUS_PROVINCE = "Anhui"
# Provincial and prefecture-level divisions (data/reference/README.md), and the listing of the
# collection of work reports the study reads (data/raw/work-reports/README.md).
DIVISIONS = DATA / "reference" / "divisions.csv"
WORK_REPORTS = RAW / "work-reports"
WORK_REPORT_SOURCES = WORK_REPORTS / "SOURCES.csv"
# The national city panel: every city's work reports, obtained and built apart from the study.
PANEL = ROOT / "build" / "panel"

# The largest raw file the build reads (``corpus.raw_file`` refuses a larger one before
# reading it): a real document is tens of kilobytes, an HTML page a few megabytes.
MAX_FILE_MB = 20
MAX_FILE_BYTES = MAX_FILE_MB * 2**20

# Determinism of written outputs.
CSV_FLOAT_FORMAT = "%.6f"
SVG_HASHSALT = "msresearch"
RANDOM_SEED = 20170824

# The Simplified Chinese font shipped by the `mplfonts` package (SIL OFL), registered with
# matplotlib by `msresearch.plots` so that figures render Chinese on a fresh machine.
CJK_FONT_PACKAGE = "mplfonts"
CJK_FONT_FILE = "fonts/NotoSansCJKsc-Regular.otf"
CJK_FONT_FAMILY = "Noto Sans CJK SC"
LATIN_FONT_FAMILY = "DejaVu Sans"


def relative(path: Path) -> str:
    """Path as written in outputs: relative to the project root, POSIX separators."""
    path = Path(path).resolve()
    try:
        return path.relative_to(ROOT).as_posix()
    except ValueError:
        return path.name

# Executed copies of notebooks for parameter variants (not committed; the default run is).
NOTEBOOK_BUILD = ROOT / "build" / "notebooks"
DEFAULT_VARIANT = "default"


def figure_dir(variant: str = DEFAULT_VARIANT) -> Path:
    """Where a parameter set's figures go: figures/ for the default, figures/<variant>/ else."""
    return FIGURES if variant == DEFAULT_VARIANT else FIGURES / variant

# Clean text of each document, the reference for items' character offsets.
CLEAN_DIRNAME = "clean"
# the tables a build writes into its output folder (each with a schema, msresearch.pipeline.schemas);
# with clean/, all that is the build's there: any other file is the user's, and kept
TABLES = ("attention.csv", "build_info.csv", "cleaning_log.csv", "declared_counts.csv",
          "diversity.csv", "documents.csv", "families.csv", "items.csv", "panel.csv",
          "panel_domains.csv", "project_changes.csv", "references.csv", "rejected.csv",
          "reuse.csv", "reuse_documents.csv", "sentences.csv")
CLEAN = PROCESSED / CLEAN_DIRNAME

# Hand-coded labels for development (see data/gold/README.md).
GOLD = DATA / "gold"
GOLD_DEV = GOLD / "items-dev.csv"
GOLD_SENTENCES = GOLD / "sentences-dev.csv"
GOLD_REUSE = GOLD / "reuse-pairs-dev.csv"
GOLD_REUSE_ROUNDS = GOLD / "reuse-pairs-rounds.csv"  # labelled after a rule was fixed
HELD_OUT_ROUND = 3  # the round drawn after the reuse rule of params/reuse/default.yaml was fixed
GOLD_WORK_REPORT_SENTENCES = GOLD / "work-report-sentences-dev.csv"

# Real documents of the genre from other provinces, hand-labelled (see tests/genres/lists/labelled/README.md):
# the development set that measures how general the index and the coder are.
GENRE = ROOT / "tests" / "genres" / "lists" / "labelled"
WORK_REPORTS_LABELLED = ROOT / "tests" / "genres" / "work_reports" / "labelled"

# jieba's dictionary cache (not the system temp folder; not committed).
JIEBA_CACHE = ROOT / "build" / "jieba"

# The build's cache of per-document results and reuse comparisons (not committed; `make
# clean` removes it; it never changes the outputs, only how fast they come).
CACHE = ROOT / "build" / "cache"
