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

# Extraction quality and speed vs trafilatura, crawl throughput and incremental cost on a
# 2,000-digest loopback site, archive scale to 20,000 records, directive extraction against
# hand-written annotations; figures also in $(BENCH_OUT).
BENCH_OUT ?= $(OUT)/bench
bench: venv
	mkdir -p $(BENCH_OUT)
	$(PY) -m bench.extraction --json $(BENCH_OUT)/extraction.json --check
	$(PY) -m bench.crawl --json $(BENCH_OUT)/crawl.json --check
	$(PY) -m bench.archive_scale --json $(BENCH_OUT)/archive_scale.json --check
	$(PY) -m bench.rerun_scale --json $(BENCH_OUT)/rerun_scale.json --check
	$(PY) -m bench.directives --json $(BENCH_OUT)/directives.json --check

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
