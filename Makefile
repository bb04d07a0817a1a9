# tollbook — two commands on a fresh machine with Python 3.11+ and make:
#   make demo   set up .venv, build a demo store from the bundled example reports, print its events
#   make test   set up .venv, run the whole test suite
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

.PHONY: setup browser postgres demo test lint constraints dev-scores bench clean
SHARED ?= ../shared/data

# The venv is rebuilt only when the dependencies change, so re-running is fast.
$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

# The demo ends by serving the demo store (Ctrl-C stops it); `make demo SERVE=0` only builds and prints.
SERVE ?= 1
PORT  ?= 8000
demo: setup
	$(BIN)/tollbook demo --db demo.db
ifeq ($(SERVE),1)
	$(BIN)/tollbook serve --db demo.db --port $(PORT)
endif

test: setup browser postgres
	$(BIN)/python -m pytest -q

# The page tests drive Debian's Chromium (not a browser Playwright downloads). Installed here when
# we are root and it is missing; otherwise those tests say why they skip (CI makes them required).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian's chromium for the page tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	  else echo "note: no chromium; the browser tests will skip (sudo apt-get install chromium chromium-driver)"; fi; }

# The store tests run on SQLite and on PostgreSQL: each session starts a throwaway cluster with
# Debian's server binaries (initdb, pg_ctl; no server of the machine is used or started). Installed
# here when we are root and they are missing; otherwise those tests say why they skip (CI makes them
# required). Debian's package starts its own cluster on installation: stopped, nothing needs it.
postgres:
	@ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || command -v pg_ctl >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian's postgresql for the store tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	    (command -v pg_ctlcluster >/dev/null && pg_lsclusters -h 2>/dev/null | while read v c _; do \
	      pg_ctlcluster "$$v" "$$c" stop 2>/dev/null || true; done) || true; \
	  else echo "note: no PostgreSQL; the PostgreSQL store tests will skip (sudo apt-get install postgresql)"; fi; }

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
	  echo '"gva":' ; $(BIN)/tollbook eval gva $(SHARED)/gva/dev.jsonl --json; echo ','; \
	  echo '"semeval2018t5":' ; $(BIN)/tollbook eval semeval2018t5 $(SHARED)/semeval2018t5/trial --json; echo ','; \
	  echo '"case2021":' ; $(BIN)/tollbook eval case2021 $(SHARED)/case2021/dev.jsonl --json; \
	  echo '}' ) > tests/dev_scores.json.tmp
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
