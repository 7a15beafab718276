PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
TOOLS := .tools
UV := $(TOOLS)/bin/uv
STAMP := $(VENV)/.installed
LOCK := requirements-dev.txt requirements-build.txt

# uv never downloads a Python of its own: the venv is made from $(PY).
export UV_PYTHON_DOWNLOADS := never

.PHONY: help run test lint typecheck imports unit install lock upgrade lock-check bench clean

help:
	@echo "make run         the demo on embedded defaults: http://127.0.0.1:8000/demo"
	@echo "make test        everything CI runs: lock check, lint, types, import contracts, the suite"
	@echo "make unit        the test suite alone (pytest; pass ARGS='-k name' to pick tests)"
	@echo "make lint        ruff check and ruff format --check"
	@echo "make typecheck   mypy --strict"
	@echo "make imports     the import contracts (import-linter)"
	@echo "make install     install the locked versions into .venv"
	@echo "make lock        re-resolve requirements*.txt after a change of pyproject.toml"
	@echo "make upgrade     bump every locked version (review the diff)"
	@echo "make bench       the turn benchmark"

$(UV): requirements-uv.txt
	@echo "==> bootstrapping uv (pinned, hash-checked) into $(TOOLS)/"
	@test -x $(TOOLS)/bin/python || $(PY) -m venv $(TOOLS)
	@$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps \
		-r requirements-uv.txt
	@touch $(UV)

$(STAMP): $(UV) $(LOCK) pyproject.toml
	@echo "==> installing the locked versions (requirements-dev.txt) into $(VENV)/"
	@test -x $(BIN)/python || $(UV) venv --quiet --python $(PY) $(VENV)
	$(UV) pip sync --python $(BIN)/python --require-hashes requirements-dev.txt
	$(UV) pip install --python $(BIN)/python --no-deps --build-constraint requirements-build.txt -e .
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/lapor demo

lock-check: $(UV)
	@UV=$(abspath $(UV)) bash requirements/lock.sh --check

lint: $(STAMP)
	@echo "==> ruff"
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	@echo "==> mypy"
	$(BIN)/mypy

imports: $(STAMP)
	@echo "==> import contracts"
	$(BIN)/lint-imports

unit: $(STAMP)
	@echo "==> pytest"
	$(BIN)/pytest $(ARGS)

test: lock-check lint typecheck imports unit

lock: $(UV)
	UV=$(abspath $(UV)) bash requirements/lock.sh

upgrade: $(UV)
	UV=$(abspath $(UV)) bash requirements/lock.sh --upgrade

bench: $(STAMP)
	$(BIN)/python -m bench.turns

clean:
	rm -rf $(VENV) $(TOOLS) .mypy_cache .pytest_cache .ruff_cache
