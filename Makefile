# seller_standing: `make run` builds the demo warehouse, `make test` runs every check.
# Both create .venv and install the pinned dependencies first.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)

# Demo warehouse (make run) and your own (make build): paths users and BI tools see.
export SELLER_STANDING_DB ?= $(CURDIR)/warehouse/seller_standing.duckdb
DEMO_RAW := $(CURDIR)/data/demo
DEMO_SELLERS ?= 200
DEMO_MONTHS ?= 24

# The small fixed dataset `make test` builds on.
CI_DIR := $(CURDIR)/build/ci
CI_RAW := $(CI_DIR)/raw
CI_EVALUATION_DATE := 2026-11-01
CI_ENV := SELLER_STANDING_TARGET=ci SELLER_STANDING_RAW_DIR=$(CI_RAW) \
	SELLER_STANDING_BUILD_DB=$(CI_DIR)/seller_standing.duckdb \
	SELLER_STANDING_DB=$(CI_DIR)/published.duckdb SELLER_STANDING_TEMP_DIR=$(CI_DIR)/tmp \
	SELLER_STANDING_DOCS_DIR=$(CI_DIR)/data_docs DBT_TARGET_PATH=$(CI_DIR)/target \
	DBT_LOG_PATH=$(CI_DIR)/logs
DBT := $(BIN)/dbt
DBT_ARGS := --project-dir $(CURDIR) --profiles-dir $(CURDIR)

.PHONY: help venv run build summary check docs test lint dbt-test pytest bench clean

help:
	@echo "make run    build the demo warehouse ($(DEMO_SELLERS) sellers x $(DEMO_MONTHS) months) and show a summary"
	@echo "make build  build from SELLER_STANDING_RAW_DIR (your exports), check, publish"
	@echo "make test   lint, dbt build with every data and unit test on a small fixed dataset, pytest"
	@echo "make docs   dbt docs generate"
	@echo "make bench  time and measure the generator and the build at scale"

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "Installing pinned dependencies into $(VENV) ..."
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@rm -f $(VENV)/.installed-* && touch $@

venv: $(STAMP)

run: venv
	$(BIN)/seller-standing generate --out $(DEMO_RAW) --sellers $(DEMO_SELLERS) --months $(DEMO_MONTHS)
	SELLER_STANDING_RAW_DIR=$(DEMO_RAW) $(BIN)/seller-standing build
	@echo
	@$(BIN)/seller-standing summary

build: venv
	$(BIN)/seller-standing build

summary: venv
	@$(BIN)/seller-standing summary

check: venv
	$(BIN)/seller-standing check

docs: venv
	$(DBT) docs generate $(DBT_ARGS)

test: venv lint dbt-test pytest

lint: venv
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(CI_ENV) $(BIN)/sqlfluff lint models analyses tests/singular

dbt-test: venv
	rm -rf $(CI_DIR) && mkdir -p $(CI_DIR)
	$(BIN)/seller-standing generate --out $(CI_RAW) --sellers 25 --months 14 --seed 7
	$(CI_ENV) $(BIN)/seller-standing build --with-unit-tests --evaluation-date $(CI_EVALUATION_DATE)
	$(CI_ENV) $(DBT) docs generate $(DBT_ARGS) --vars '{evaluation_date: "$(CI_EVALUATION_DATE)"}' --quiet

pytest: venv
	$(BIN)/pytest

bench: venv
	$(BIN)/python -m seller_standing.bench $(if $(BENCH_SELLERS),--sellers $(BENCH_SELLERS))

clean:
	rm -rf build target logs data/demo warehouse
