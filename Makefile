# Each target creates its own .venv on first use: `make crawl` and `make test` work on a
# fresh clone with nothing but python3 (>= 3.10) installed.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
OUT ?= output
ARGS ?=

.PHONY: venv crawl test demo lint format clean

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
	$(PY) -m scraper.demo

lint: venv
	$(BIN)/ruff check scraper pipelines tests
	$(BIN)/ruff format --check scraper pipelines tests

format: venv
	$(BIN)/ruff format scraper pipelines tests
	$(BIN)/ruff check --fix scraper pipelines tests

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
