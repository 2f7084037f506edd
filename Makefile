# Two commands do all set-up on a fresh clone: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck pytest bench install lock clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/newsdigest demo

test: $(STAMP) lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check bot storage tests deploy
	$(BIN)/ruff format --check bot storage tests deploy
	$(BIN)/vulture

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python -m tests.benchmarks

# Re-pin every dependency after changing pyproject.toml.
lock:
	rm -rf /tmp/newsdigest-lock && $(PYTHON) -m venv /tmp/newsdigest-lock
	/tmp/newsdigest-lock/bin/python -m pip install --quiet --upgrade pip
	/tmp/newsdigest-lock/bin/python -m pip install --quiet -e '.[test]'
	/tmp/newsdigest-lock/bin/python -m pip freeze --exclude-editable | grep -v '^-e' > constraints.txt

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
