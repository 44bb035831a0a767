# Two commands: `make run` and `make test`. Everything they need is installed into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed-stamp
# llama-cpp-python compiles from source (~7 min on 2 cores, cached by pip afterwards). These
# flags keep it to instructions every x86-64 VM runs: some advertise AMX/AVX-512 they cannot.
export CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_AVX512=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF

.PHONY: install run test lint browser

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	# The CPU build of torch first (the one-time ONNX export of MiniLM's weights runs on it).
	$(BIN)/pip install --quiet --disable-pip-version-check torch==2.13.0
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## Start the embedded PostgreSQL, migrate, seed the demo data once (with its demo API keys),
## recompute the fans' figures and the alerts due now, serve the API and the web page on
## 127.0.0.1:8000 with the embedded model, and run one job worker beside it (Ctrl-C stops both).
run: $(STAMP)
	$(BIN)/fanagent db up
	$(BIN)/fanagent db migrate
	$(BIN)/fanagent seed --if-empty
	$(BIN)/fanagent scores recompute --full --alerts
	$(BIN)/fanagent keys demo
	$(BIN)/fanagent worker & worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(BIN)/fanagent serve --host 127.0.0.1 --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .

## Headless Chromium and its driver for the browser tests (tests/e2e), from Debian, when missing.
BROWSER_PACKAGES := chromium chromium-driver
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
APT_INSTALL := DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends
browser:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then \
	  echo "installing $(BROWSER_PACKAGES) for the browser tests"; \
	  $(SUDO) env $(APT_INSTALL) $(BROWSER_PACKAGES) \
	  || { $(SUDO) apt-get update && $(SUDO) env $(APT_INSTALL) $(BROWSER_PACKAGES); }; \
	fi

## Lint, type-check, then the whole test suite against the real embedded PostgreSQL.
test: lint browser
	$(BIN)/pytest
