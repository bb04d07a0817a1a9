# tollbook — two commands on a fresh machine with Python 3.11+ and make:
#   make demo   set up .venv, build a demo store from the bundled example reports, print its events
#   make test   set up .venv, run the whole test suite
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

.PHONY: setup demo test test-fast lint constraints clean

# The venv is rebuilt only when the dependencies change, so re-running is fast.
$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

demo: setup
	$(BIN)/tollbook demo --db demo.db

test: setup
	$(BIN)/python -m pytest -q

lint: setup
	$(BIN)/ruff check src tests benchmarks

# After changing pyproject.toml's dependencies: pin what was resolved.
constraints: setup
	( echo "# Exact versions of every dependency (pip install -c constraints.txt). Regenerate: make constraints"; \
	  $(BIN)/python -m pip freeze --exclude-editable | grep -v -i '^tollbook' ) > constraints.txt

clean:
	rm -rf $(VENV) demo.db demo.db-wal demo.db-shm .pytest_cache
