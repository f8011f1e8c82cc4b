# docbrief — the two commands a fresh machine needs:
#   make run    set up .venv and refresh the bundled sample corpus (offline) into out/
#   make test   set up .venv and run the test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

# Prefect keeps its state in the checkout; its temporary server gets time to start
# and sends no analytics (which otherwise logs "database is locked").
export PREFECT_HOME := $(CURDIR)/.prefect
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS := 120

.PHONY: run test fixtures clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

run: $(VENV)/.installed
	$(BIN)/docbrief refresh --config config/sample.toml --out out

test: $(VENV)/.installed
	$(BIN)/python -m pytest

fixtures: $(VENV)/.installed
	$(BIN)/python tests/fixtures/make_fixtures.py
	$(BIN)/python tests/fixtures/make_pdf_fixtures.py

clean:
	rm -rf $(VENV) .prefect out .pytest_cache
