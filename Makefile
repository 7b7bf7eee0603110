# Everything a fresh machine needs is installed by these targets (a venv in .venv).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
OUT ?= out

.PHONY: setup sysdeps run test pytest lint format typecheck check golden bench devset devset-unseen devset-diff clean

setup: sysdeps $(VENV)/.installed

# system packages for OCR (tesseract + Vietnamese model) and legacy .doc (antiword, LibreOffice),
# a Unicode TrueType font for the tests that build PDFs (fonts-dejavu-core),
# Chromium + its driver for the tests of the web page and the review HTML (tests/test_web.py),
# and the PostgreSQL server for the tests of the index on PostgreSQL (tests/test_index_postgres.py):
# installed with apt-get when missing and we are root; otherwise the features say so and their tests skip
sysdeps:
	@missing=""; \
	(command -v tesseract >/dev/null && tesseract --list-langs 2>/dev/null | grep -qx vie) || missing="$$missing tesseract-ocr tesseract-ocr-vie"; \
	command -v antiword >/dev/null || missing="$$missing antiword"; \
	command -v soffice >/dev/null || missing="$$missing libreoffice-writer-nogui"; \
	[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing="$$missing fonts-dejavu-core"; \
	(command -v chromium >/dev/null && command -v chromedriver >/dev/null) || missing="$$missing chromium chromium-driver"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else echo "note: install$$missing for OCR and .doc support"; fi; \
	fi

$(VENV)/.installed: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev]"
	touch $@

# main job: the batch over samples/ -> $(OUT)/<name>.json, documents.jsonl, errors.jsonl,
# tasks/legal_refs/targets/units.csv, vbextract.xlsx, deadlines.ics (a re-run redoes only what changed)
run: setup
	$(BIN)/vbextract batch samples -o $(OUT)
	$(BIN)/vbextract index $(OUT) --db $(OUT)/plans.sqlite
	$(BIN)/vbextract search --db $(OUT)/plans.sqlite --unit "Sở KH&ĐT" --due-before 2025-12-31

# CI runs `make test` (.ci/run): lint (ruff rules + format), types (mypy), then the tests
test: check

pytest: setup
	$(BIN)/python -m pytest

# ruff's rules and the formatter's verdict, as configured in pyproject.toml
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# rewrite the tree in the formatter's style (commit it on its own)
format: setup
	$(BIN)/ruff format .

# mypy over src/vbextract, as configured in pyproject.toml
typecheck: setup
	$(BIN)/mypy

# everything CI gates: lint, types, tests
check: lint typecheck pytest

# regenerate golden/ deliberately (JSON and one-line-per-item summaries); the summary diff is the review
golden: setup
	VBEXTRACT_UPDATE_GOLDEN=1 $(BIN)/python -m pytest -q tests/test_golden.py
	git diff --stat golden/
	git --no-pager diff -- 'golden/*.summary.txt'

# documents/s and pages/s against the raw readers, same files, same run; then the batch (1 and 2
# workers, overhead over extract in a loop, peak RSS, no-change re-run, Dask local cluster); then
# indexing rate and search latency on an index of 10,000 documents (bench/index_bench.py)
bench: setup
	$(BIN)/python bench/bench.py
	$(BIN)/python bench/batch_bench.py
	$(BIN)/python bench/index_bench.py

# score the development set (hand-written key facts in devset/facts)
# (the shipped scorer ../shared/eval/score.py when it is there, else the project's copy)
SCORER := $(if $(wildcard ../shared/eval/score.py),../shared/eval/score.py,devset/score.py)
devset: setup
	$(BIN)/vbextract extract ../shared/corpus ../shared/seeds -o $(OUT)/devset --no-progress || true
	$(BIN)/python $(SCORER) --facts devset/facts --json-dir $(OUT)/devset

# the frozen unseen splits (devset/unseen*/README.md): scored at the start and the end of an issue only
devset-unseen: setup
	$(BIN)/vbextract extract ../shared/corpus/wild -o $(OUT)/unseen --no-progress || true
	$(BIN)/python $(SCORER) --facts devset/unseen --json-dir $(OUT)/unseen | tail -1
	$(BIN)/python $(SCORER) --facts devset/unseen2 --json-dir $(OUT)/unseen | tail -1

# the tasks that changed on the development set between REV and the working tree (temporary worktree)
REV ?= HEAD
devset-diff: setup
	$(BIN)/python devset/diff.py --rev $(REV)

clean:
	rm -rf $(OUT) .pytest_cache .mypy_cache .ruff_cache
