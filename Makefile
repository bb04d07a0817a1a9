# tollbook — two commands on a fresh machine with Python 3.11+ and make:
#   make demo   set up .venv, build a demo store from the bundled example reports, print its events
#   make test   set up .venv, run the whole test suite
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

.PHONY: setup demo test lint constraints dev-scores bench clean
SHARED ?= ../shared/data

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

# Record the development scores the tests hold the extractor to (needs ../shared/data).
dev-scores: setup
	( echo '{'; \
	  echo '"gvdb":' ; $(BIN)/tollbook eval gvdb $(SHARED)/gvdb/dev.jsonl --json; echo ','; \
	  echo '"muc4":' ; $(BIN)/tollbook eval muc4 $(SHARED)/muc4/dev.jsonl --json; echo ','; \
	  echo '"seed":' ; $(BIN)/tollbook eval seed $(SHARED)/seed --json; echo ','; \
	  echo '"gva":' ; $(BIN)/tollbook eval gva $(SHARED)/gva/dev.jsonl --json; echo '}' ) > tests/dev_scores.json.tmp
	$(BIN)/python -c "import json; d=json.load(open('tests/dev_scores.json.tmp')); json.dump(d, open('tests/dev_scores.json','w'), indent=2)"
	rm tests/dev_scores.json.tmp
	cat tests/dev_scores.json

# Benchmarks (benchmarks/README.md): extraction speed, and grouping at 10k/100k synthetic events with the
# GVA development set end to end (add 1000000 to SIZES for the million; it needs about 9 GB).
SIZES ?= 10000 100000
bench: setup
	$(BIN)/python benchmarks/extract_speed.py --workers 1 2
	$(BIN)/python benchmarks/grouping_scale.py --sizes $(SIZES) --gva

clean:
	rm -rf $(VENV) demo.db demo.db-wal demo.db-shm .pytest_cache
