# Each target creates its own .venv on first use: `make crawl` and `make test` work on a
# fresh clone with nothing but python3 (>= 3.10) installed.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
OUT ?= output
ARGS ?=

.PHONY: venv crawl test demo bench lint format clean

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

crawl: venv
	$(BIN)/langson-archive crawl --out $(OUT) $(ARGS)

test: venv
	$(PY) -m pytest -q

demo: venv
	$(PY) -m scraper.demo --out $(OUT)/demo

# Every figure of README "Performance", each target a ratio of two figures of one run: extraction
# vs trafilatura and the lxml parse floor, the crawl vs a bare Scrapy spider, reparse, memory,
# incremental cost, archive scale, the idle rerun at 80,000 records, directives against
# hand-written annotations. Every script runs; it fails at the end if one missed. JSON in $(BENCH_OUT).
BENCH_OUT ?= $(OUT)/bench
BENCHES = extraction crawl archive_scale rerun_scale directives
bench: venv
	mkdir -p $(BENCH_OUT)
	@failed=""; for name in $(BENCHES); do \
	  $(PY) -m bench.$$name --json $(BENCH_OUT)/$$name.json --check || failed="$$failed $$name"; \
	done; \
	if [ -n "$$failed" ]; then echo "make bench: a target missed in:$$failed (every script ran)"; exit 1; fi

# Ruff (lint and format) over everything, mypy over the package, pipelines and benchmarks
# ([tool.mypy] in pyproject.toml). CI runs it before the tests.
lint: venv
	$(BIN)/ruff check scraper pipelines tests bench
	$(BIN)/ruff format --check scraper pipelines tests bench
	$(BIN)/mypy

format: venv
	$(BIN)/ruff format scraper pipelines tests bench
	$(BIN)/ruff check --fix scraper pipelines tests bench

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
