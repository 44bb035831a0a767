# Two commands: `make run` and `make test`. Everything they need is installed into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install run test lint

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## Start the embedded PostgreSQL, migrate, seed the demo data once, serve on 127.0.0.1:8000.
run: $(STAMP)
	$(BIN)/fanagent db up
	$(BIN)/fanagent db migrate
	$(BIN)/fanagent seed --if-empty
	$(BIN)/fanagent serve --host 127.0.0.1 --port 8000

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .

## Lint, type-check, then the whole test suite against the real embedded PostgreSQL.
test: lint
	$(BIN)/pytest
