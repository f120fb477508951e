# Two commands do all the set-up on a fresh machine: `make review` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: setup review test test-fast test-deep lint bench clean

# The venv is rebuilt when pyproject.toml changes, so a new dependency is never missing.
# pip's own progress is shown: the first install takes a minute or so.
$(STAMP): pyproject.toml
	@echo "relecture: setting up $(VENV) (first run: about a minute; pip shows its progress)"
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --disable-pip-version-check --progress-bar on -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

review: $(STAMP)
	$(VENV)/bin/relecture review

# Bytecode is written even where the environment says not to (PYTHONDONTWRITEBYTECODE): the
# tests start hundreds of relecture processes, each compiling every module again without it.
# --dist loadgroup: tests that share a costly module fixture (xdist_group) run on one worker.
test: $(STAMP)
	PYTHONDONTWRITEBYTECODE= $(PY) -m pytest -n 2 --dist loadgroup -q

# The quick loop: everything but the tests marked slow (fuzzing, random kills, real ptys).
test-fast: $(STAMP)
	PYTHONDONTWRITEBYTECODE= $(PY) -m pytest -n 2 --dist loadgroup -q -m "not slow"

# Four times the hypothesis examples and random kill rounds (nightly, before a release).
test-deep: $(STAMP)
	PYTHONDONTWRITEBYTECODE= RELECTURE_TEST_DEPTH=deep $(PY) -m pytest -n 2 --dist loadgroup -q

# ruff, then the types (mypy, every `# type: ignore` verified) and the layers (import-linter
# contracts in pyproject.toml: the domain never imports the UI or the CLI; importers never the store).
lint: $(STAMP)
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

bench: $(STAMP)
	$(PY) bench/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache build src/*.egg-info
