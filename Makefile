# Every target creates .venv and installs the package on first use:
# a fresh machine needs only Python 3.11+ (and make).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 5000
N ?= 100000
MONTH ?= 2025-06
TAILLES ?= 100000 1000000
REPETITIONS ?= 5
REPETITIONS_MOTEURS ?= 3
PERSONNES_MORCEAUX ?= 10000000
MORCEAU ?= 1000000

.PHONY: install simulate lint format test test-python test-bornes-basses serve benchmark benchmark-morceaux clean

$(STAMP): pyproject.toml setup.py
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11+ requis" if sys.version_info < (3, 11) else 0)'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)  ## Create .venv and install the package with its test tools

simulate: $(STAMP)  ## Main job: population simulation on the built-in population
	$(BIN)/openfisca-invalidite simuler --taille $(N) --mois $(MONTH) --sortie resultats --ecraser

lint: $(STAMP)  ## ruff (rules and format) on the code, yamllint on parameters and tests
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/yamllint --strict -c .yamllint.yaml parameters tests .yamllint.yaml

format: $(STAMP)  ## Apply ruff's fixes and format
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: $(STAMP)  ## All tests in one pytest session: the YAML cases and the Python tests
	$(BIN)/openfisca test --country-package openfisca_invalidite tests

test-python: $(STAMP)  ## The Python tests only (no YAML cases)
	$(BIN)/python -m pytest -q tests

test-bornes-basses:  ## The whole suite with every dependency at its lower bound (constraints/bornes-basses.txt)
	test -x .venv-bas/bin/python || $(PYTHON) -m venv .venv-bas
	.venv-bas/bin/python -m pip install --quiet -c constraints/bornes-basses.txt -e ".[dev]"
	.venv-bas/bin/openfisca test --country-package openfisca_invalidite tests

serve: $(STAMP)  ## OpenFisca web API on $(HOST):$(PORT)
	$(BIN)/openfisca serve --country-package openfisca_invalidite --bind $(HOST):$(PORT)

benchmark: $(STAMP)  ## Population engine against the lean numpy reference, then the engines at 1M (TAILLES="100000 1000000" REPETITIONS=5)
	$(BIN)/python benchmarks/banc.py --tailles $(TAILLES) --repetitions $(REPETITIONS) --mois $(MONTH)
	$(BIN)/python benchmarks/moteurs.py --tailles $(TAILLES) --repetitions $(REPETITIONS_MOTEURS) --mois $(MONTH)

benchmark-morceaux: $(STAMP)  ## 10M people generated and computed chunk by chunk: peak memory against one 1M run (not in test)
	$(BIN)/python benchmarks/morceaux.py --personnes $(PERSONNES_MORCEAUX) --morceau $(MORCEAU) --mois $(MONTH)

clean:
	rm -rf $(VENV) .venv-bas build dist *.egg-info resultats
