# The two commands a user needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test test-postgresql test-dates test-stress install install-dev browser postgresql faketime bench bench-postgresql clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Every package, transitive ones too, pinned with its hashes: a changed file on the index
# fails the install instead of running.
$(VENV)/.installed: requirements.txt | $(BIN)/activate
	$(BIN)/pip install --quiet --require-hashes -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.txt
	touch $@

# After editing requirements.in or requirements-dev.in: recompile both lock files.
LOCK_VENV := .venv-lock
PIP_COMPILE := $(LOCK_VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe \
	--no-emit-index-url --no-emit-find-links --strip-extras
lock:
	test -x $(LOCK_VENV)/bin/pip-compile || { $(PYTHON) -m venv $(LOCK_VENV) && \
	  $(LOCK_VENV)/bin/pip install --quiet --upgrade pip pip-tools; }
	$(PIP_COMPILE) -o requirements.txt requirements.in
	$(PIP_COMPILE) -o requirements-dev.txt requirements-dev.in

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

# The background worker (email, daily digests, reminders) runs beside the web server and
# stops with it: Ctrl+C, or waitress exiting for any reason.
run: install
	$(FLASK) init-db
	$(FLASK) demo-data --url http://$(HOST):$(PORT)
	@export BASE_URL="$${BASE_URL:-$${PUBLIC_URL:-http://$(HOST):$(PORT)}}"; \
	$(FLASK) worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; trap 'exit 130' INT TERM; \
	$(BIN)/waitress-serve --host $(HOST) --port $(PORT) --threads 8 app:app

# Debian's chromium drives the browser tests; never a browser downloaded by Playwright.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = "0" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else echo "Pasang chromium dulu: sudo apt-get install chromium"; exit 1; fi; }

# Debian's PostgreSQL binaries for the second run of the suite; the tests start their own
# throwaway server from them (tests/support/postgres.py), never the system service.
postgresql:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = "0" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; \
	  else echo "Pasang PostgreSQL dulu: sudo apt-get install postgresql"; exit 1; fi; }

# The whole suite on SQLite (browser tests included), then every test but the browser ones
# again on a PostgreSQL server the tests start themselves (tests/support/postgres.py).
test: install-dev browser postgresql
	$(BIN)/python -m pytest -q
	KINERJA_TEST_DB=postgresql $(BIN)/python -m pytest -q --ignore=tests/e2e

# Only the PostgreSQL run, on a server the tests start themselves (tests/support/postgres.py).
test-postgresql: install-dev postgresql
	KINERJA_TEST_DB=postgresql $(BIN)/python -m pytest -q --ignore=tests/e2e

# The suite on three other days (after New Year, mid-year, a leap year's February): run it
# before a release and after any change to dates, periods, deadlines or the demo data.
TEST_DATES := 2027-01-15 2027-07-01 2030-02-28
test-dates: install-dev browser faketime
	@for day in $(TEST_DATES); do \
	  echo "== make test on $$day"; \
	  faketime "$$day 10:00" $(BIN)/python -m pytest -q || exit 1; \
	done

# The browser tests on a busy machine: five runs in a row while a busy loop per core keeps
# every core at work, stopping at the first failure. Run it after changing a browser test or a
# page's htmx: a test that acts before htmx has settled fails here, not later on someone's clone.
STRESS_RUNS ?= 5
STRESS_BURNERS ?= $(shell nproc 2>/dev/null || echo 2)
test-stress: install-dev browser
	@burners=""; trap 'kill $$burners 2>/dev/null' EXIT INT TERM; \
	for n in $$(seq $(STRESS_BURNERS)); do $(PYTHON) -c 'while True: pass' & burners="$$burners $$!"; done; \
	start=$$(date +%s); \
	for run in $$(seq $(STRESS_RUNS)); do \
	  echo "== tes peramban, putaran $$run dari $(STRESS_RUNS), $(STRESS_BURNERS) inti disibukkan"; \
	  $(BIN)/python -m pytest -q -x tests/e2e || { echo "== gagal pada putaran $$run"; exit 1; }; \
	done; \
	echo "== $(STRESS_RUNS) putaran lulus dalam $$(( $$(date +%s) - start )) detik"

faketime:
	@command -v faketime >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = "0" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq faketime; \
	  else echo "Pasang faketime dulu: sudo apt-get install faketime"; exit 1; fi; }

bench: install-dev
	$(BIN)/python -m bench.run

# A province (100,000 employees, 10 million responses) on a throwaway PostgreSQL: ±30 minutes.
bench-postgresql: install-dev postgresql
	$(BIN)/python -m bench.bench_postgresql

clean:
	rm -rf $(VENV) $(LOCK_VENV) .pytest_cache
