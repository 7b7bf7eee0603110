# Everything a fresh machine needs is installed by these targets (a venv in .venv).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
OUT ?= out

.PHONY: setup run test golden bench devset clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev]"
	touch $@

# main job: every file in samples/ -> $(OUT)/<name>.json (+ _manifest.jsonl)
run: setup
	$(BIN)/vbextract extract samples -o $(OUT)

test: setup
	$(BIN)/python -m pytest

# regenerate golden/ deliberately; read `git diff golden/` before committing
golden: setup
	VBEXTRACT_UPDATE_GOLDEN=1 $(BIN)/python -m pytest -q tests/test_golden.py
	git diff --stat golden/

# documents/s and pages/s against the raw readers, same files, same run
bench: setup
	$(BIN)/python bench/bench.py

# score the development set (hand-written key facts in devset/facts)
devset: setup
	$(BIN)/vbextract extract ../shared/corpus ../shared/seeds -o $(OUT)/devset --no-progress || true
	$(BIN)/python devset/score.py --facts devset/facts --json-dir $(OUT)/devset

clean:
	rm -rf $(OUT) .pytest_cache
