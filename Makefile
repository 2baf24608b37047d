# The commands of the README. `make run` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run serve worker test check format bench-import bench-index bench-matching bench-notify bench-scheduler bench-web browser install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)  ## virtual environment with the package and its tools; Pango for PDF agendas
	@bash scripts/ensure-pdf-libs

run: install  ## migrate SQLite, load KP VED from ../shared/data, the demo data (matched once), serve http://127.0.0.1:8000 with a job worker beside it
	$(BIN)/seriktes db upgrade
	@out="$$($(BIN)/seriktes demo --if-empty)" && echo "$$out" && \
		if echo "$$out" | grep -q '^Demo data loaded'; then $(BIN)/seriktes match; fi
	@bash scripts/serve-with-worker $(BIN)

serve: install  ## serve without touching the data (no worker: run `seriktes worker` beside it)
	$(BIN)/seriktes serve

worker: install  ## a job worker only (schedules, matching, reports, notifications)
	$(BIN)/seriktes worker

browser:  ## Debian's Chromium for the browser tests
	@bash scripts/ensure-chromium

test: install browser  ## the whole test suite (SQLite and PostgreSQL, browser included)
	$(BIN)/python -m pytest

check: install  ## lint, format check, types, import layers (import-linter contracts in pyproject.toml)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix src tests benchmarks
	$(BIN)/ruff format src tests benchmarks

bench-import: install  ## 100,000 needs from XLSX into SQLite, against the 60 s target
	$(BIN)/python benchmarks/bench_import.py

bench-index: install  ## the offer index as a snapshot four processes map, at 1,000,000 offers: memory (PSS), first search, changes seen
	$(BIN)/python benchmarks/bench_index.py $(BENCH_ARGS)

bench-matching: install  ## classifier quality against baselines, then matching at 1,000,000 offers
	$(BIN)/python benchmarks/bench_matching.py

bench-scheduler: install  ## the 20 B2B instances against the MaxSAT reference, 1,000 × 6,000 generated, constrained families with exact references (~22 min; BENCH_ARGS=--quick: 5 instances)
	$(BIN)/python benchmarks/bench_scheduler.py $(BENCH_ARGS)

bench-notify: install  ## a meeting request to its e-mail accepted (p95 over 500) and the outbox's messages per second with one worker; SQLite + embedded queue, PostgreSQL + Redis
	$(BIN)/python benchmarks/bench_notify.py $(BENCH_ARGS)

bench-web: install  ## 50 clients for 60 s on the matches and search endpoints, then a busy day (50 API token clients, logins, a burst of bad logins), SQLite and PostgreSQL
	$(BIN)/python benchmarks/bench_web.py

clean:
	rm -rf $(VENV) .import_linter_cache seriktes.db seriktes.db-wal seriktes.db-shm .pytest_cache .mypy_cache .ruff_cache
