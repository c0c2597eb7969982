# Two commands: `make run` (set up everything and serve) and `make test` (set up and test).
PYTHON ?= python3
PORT ?= 5000
HOST ?= 127.0.0.1
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi

.PHONY: run test e2e lint bench bench-hot bench-exam bench-saturation migrate translations messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime-installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@ $(VENV)/.runtime-installed

## translations: compile the committed catalogues (.po) into what the app reads (.mo)
translations: $(VENV)/.runtime-installed
	$(BIN)/pybabel -q compile -d translations

## run: venv, dependencies, translations, SQLite database with demo data (only if empty), serve
run: translations
	$(FLASK) lms init --demo
	$(FLASK) run --host $(HOST) --port $(PORT)

## test: the whole suite (browser tests skip, saying why, where chromium is absent)
test: $(VENV)/.dev-installed translations
	$(BIN)/python -m pytest

## e2e: only the browser tests, which must run (fail rather than skip without chromium)
e2e: $(VENV)/.dev-installed translations
	LMS_REQUIRE_BROWSER=1 $(BIN)/python -m pytest -m e2e

## bench: seed a throwaway SQLite province (100,000 people, 1,000,000 attempts), time the HR
## statistics and print the figures; e.g. BENCH_ARGS="--people 20000 --attempts 200000" to go faster
bench: $(VENV)/.dev-installed
	$(BIN)/python bench/stats_bench.py --seed $(BENCH_ARGS)

## bench-hot: exam day's hot paths in-process on the demo data (median, p95, SQL statements)
bench-hot: $(VENV)/.dev-installed translations
	$(BIN)/python bench/hot_paths.py $(BENCH_ARGS)

## bench-exam: exam day over HTTP against gunicorn, answers checked in the database; e.g. BENCH_ARGS="--trainees 40"
bench-exam: $(VENV)/.dev-installed translations
	$(BIN)/python bench/exam_day.py $(BENCH_ARGS)

## bench-saturation: each hot path's requests/s as a share of hello-world Flask under the same
## gunicorn command (needs wrk: apt-get install -y wrk); e.g. BENCH_ARGS="--pairs 5"
bench-saturation: $(VENV)/.dev-installed translations
	$(BIN)/python bench/saturation.py $(BENCH_ARGS)

## lint: ruff, then the structure rules (no import cycles, no commits in route modules,
## pure cores load no database, modules under 400 lines)
lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/python tools/check_structure.py

## migrate: bring an existing database up to the current schema
migrate: $(VENV)/.runtime-installed
	$(FLASK) db upgrade

## messages: re-extract the interface strings and merge them into the catalogues
messages: $(VENV)/.dev-installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k N_ --sort-output --no-location \
		--project "LMS Vinh Thanh" -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
