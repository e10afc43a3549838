# The two commands a user needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test test-dates install install-dev browser faketime bench clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

run: install
	$(FLASK) init-db
	$(FLASK) demo-data --url http://$(HOST):$(PORT)
	$(BIN)/waitress-serve --host $(HOST) --port $(PORT) --threads 8 app:app

# Debian's chromium drives the browser tests; never a browser downloaded by Playwright.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = "0" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else echo "Pasang chromium dulu: sudo apt-get install chromium"; exit 1; fi; }

test: install-dev browser
	$(BIN)/python -m pytest -q

# The suite on three other days (after New Year, mid-year, a leap year's February): run it
# before a release and after any change to dates, periods, deadlines or the demo data.
TEST_DATES := 2027-01-15 2027-07-01 2030-02-28
test-dates: install-dev browser faketime
	@for day in $(TEST_DATES); do \
	  echo "== make test on $$day"; \
	  faketime "$$day 10:00" $(BIN)/python -m pytest -q || exit 1; \
	done

faketime:
	@command -v faketime >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = "0" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq faketime; \
	  else echo "Pasang faketime dulu: sudo apt-get install faketime"; exit 1; fi; }

bench: install-dev
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) .pytest_cache
