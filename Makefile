# One way to run each thing: the README, pre-commit habits and .ci/run all call these.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint types unit integration install admin clean

run: $(STAMP)  ## Start the service on the embedded default, with a demo program
	$(BIN)/python -m server serve --demo

test: lint types  ## The whole suite: lint, types, unit and integration tests
	$(BIN)/python -m pytest -q

unit: $(STAMP)
	$(BIN)/python -m pytest -q tests/unit

integration: $(STAMP)
	$(BIN)/python -m pytest -q tests/integration

lint: $(STAMP)
	$(BIN)/ruff check server tests
	$(BIN)/ruff format --check server tests

types: $(STAMP)
	$(BIN)/mypy

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

admin: $(STAMP)  ## make admin EMAIL=you@clinic.org NAME="Your Name"
	$(BIN)/python -m server create-admin --email "$(EMAIL)" --name "$(NAME)"

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
