# One way to run each thing: the README, pre-commit habits and .ci/run all call these.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint types unit integration install admin clean bench bench-quick quality screenshots

run: $(STAMP)  ## Start the service on the embedded default, with a demo program
	$(BIN)/python -m server serve --demo

test: lint types  ## The whole suite: lint, types, unit and integration tests
	$(BIN)/python -m pytest -q

unit: $(STAMP)
	$(BIN)/python -m pytest -q tests/unit

integration: $(STAMP)
	$(BIN)/python -m pytest -q tests/integration

lint: $(STAMP)
	$(BIN)/ruff check server tests bench
	$(BIN)/ruff format --check server tests bench

types: $(STAMP)
	$(BIN)/mypy

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

bench: $(STAMP)  ## The benchmark, about 15 min on 2 cores (docs/benchmarks.md)
	$(BIN)/python -m bench $(ARGS)

bench-quick: $(STAMP)  ## A 2-minute smoke run of the benchmark
	$(BIN)/python -m bench --quick

quality: $(STAMP)  ## The detectors' recall and false positives on their labelled corpora
	$(BIN)/python -m server.quality.contacts
	$(BIN)/python -m server.quality.risk

screenshots: $(STAMP)  ## Renew docs/screenshots from the browser tests
	IC_SCREENSHOTS_DIR=docs/screenshots $(BIN)/python -m pytest -q tests/browser

admin: $(STAMP)  ## make admin EMAIL=you@clinic.org NAME="Your Name"
	$(BIN)/python -m server create-admin --email "$(EMAIL)" --name "$(NAME)"

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
