# The two commands of the README are `make reproduce` and `make test`; the other targets are
# the stages they run, named as the CLI's verbs.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Parameter sets for papermill: the default first (its executed notebooks are committed),
# then every other YAML file in params/ except the codebook.
# The codebook the build codes with; `make reproduce CODEBOOK=my.yaml` reruns with your own.
CODEBOOK ?= params/codebook.yaml
PARAM_SETS := params/default.yaml $(sort $(filter-out params/default.yaml params/codebook%.yaml,$(wildcard params/*.yaml)))

export JUPYTER_PLATFORM_DIRS := 1
export PYTHONHASHSEED := 0
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: help install build validate evaluate panel notebooks reproduce test variants lint lab lock bench bench-reuse bench-scale clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/'

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is needed: set PYTHON=python3.11")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

install: $(STAMP)  ## create .venv and install the locked environment

validate: $(STAMP)  ## check the manifest, checksums and raw files
	$(PY) -m msresearch validate --codebook $(CODEBOOK)

evaluate: $(STAMP)  ## the readers and the coder on hand-labelled real documents: lists (tests/genres/lists/labelled/), work reports (tests/genres/work_reports/labelled/)
	$(PY) -m msresearch evaluate tests/genres/lists/labelled --codebook $(CODEBOOK)
	$(PY) -m msresearch evaluate tests/genres/work_reports/labelled --codebook $(CODEBOOK)

panel: $(STAMP)  ## obtain every city's work reports (the national city panel, from FROM=<collection> or the network) and build them into build/panel/
	$(PY) -m msresearch panel $(if $(FROM),--from $(FROM),)

build: $(STAMP)  ## raw files → data/processed/
	$(PY) -m msresearch build --codebook $(CODEBOOK)

notebooks: build  ## run the notebooks with every parameter set (papermill; a variant runs the notebooks whose parameters it changes) → figures/
	$(PY) -m msresearch notebooks --params $(PARAM_SETS)

reproduce: build notebooks  ## the whole study from the raw data

lint: $(STAMP)  ## ruff
	$(VENV)/bin/ruff check .

test: lint  ## ruff, the library's tests, and the notebooks against their committed outputs
	$(VENV)/bin/pytest tests/
	$(VENV)/bin/pytest --nbval --nbval-current-env --nbval-sanitize-with notebooks/sanitize.cfg notebooks/

variants: $(STAMP)  ## nbval on every parameter set's notebooks as `make notebooks` executed them (run it after)
	test -d build/notebooks || { echo "no build/notebooks: run make notebooks first" >&2; exit 2; }
	$(VENV)/bin/pytest -p no:cacheprovider --nbval --nbval-current-env --nbval-sanitize-with notebooks/sanitize.cfg build/notebooks/

lab: $(STAMP)  ## open JupyterLab in the project's environment
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks

bench: $(STAMP)  ## time the build's stages on the seeds (prints a table)
	$(PY) benchmarks/bench_build.py

bench-reuse: $(STAMP)  ## time reuse.compare on a synthetic corpus of N documents (default 2000) against N=200
	$(PY) benchmarks/bench_reuse.py --n $(or $(N),2000)

bench-scale: $(STAMP)  ## time the whole build (serial, --jobs, rebuild, validate) on N synthetic raw documents (default 2000), or on a collection of work reports: CORPUS=../shared/corpus/work-reports
	$(PY) benchmarks/bench_scale.py $(if $(CORPUS),--corpus $(CORPUS),--n $(or $(N),2000))

lock: $(STAMP)  ## re-resolve the pinned versions in requirements.lock (needs network)
	$(PY) -m pip install --quiet uv
	$(VENV)/bin/uv pip compile pyproject.toml --extra notebooks --extra test --extra dask \
	  --python-version 3.11 --universal --custom-compile-command "make lock" -o requirements.lock

clean:  ## remove the environment, the build cache (build/cache) and executed variant notebooks (not the committed outputs)
	rm -rf $(VENV) build msresearch.egg-info
