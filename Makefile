# seller_standing: `make run` builds the demo warehouse, `make test` runs every check.
# Both create .venv and install the pinned dependencies first.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock requirements-uv.lock pyproject.toml | cksum | cut -d' ' -f1)

# Venvs are filled by uv (pinned in requirements-uv.lock): the same pinned packages in seconds
# where pip takes minutes. pip does it when uv cannot be had.
# Both write the packages' bytecode (.pyc) as they install (uv only when asked): where Python
# runs with PYTHONDONTWRITEBYTECODE set, nothing else writes it, and every dbt, Great
# Expectations or pytest process would compile its imports again (dbt starts in half the time).
# $(call install_into,VENV,PIP-ARGS): install into VENV's python.
define install_into
$(1)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-uv.lock >/dev/null 2>&1 \
	&& $(1)/bin/uv pip install --quiet --compile-bytecode --python $(1)/bin/python $(2) \
	|| { echo "uv could not install; installing with pip instead (a few minutes) ..."; \
		$(1)/bin/python -m pip install --quiet --disable-pip-version-check $(2); }
endef

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
# sqlfluff's dbt templater compiles with a workspace of its own, so lint can run beside dbt-test.
LINT_DIR := $(CURDIR)/build/lint
LINT_ENV := SELLER_STANDING_TARGET=ci SELLER_STANDING_RAW_DIR=$(CI_RAW) \
	SELLER_STANDING_BUILD_DB=$(LINT_DIR)/lint.duckdb SELLER_STANDING_DB=$(LINT_DIR)/published.duckdb \
	SELLER_STANDING_TEMP_DIR=$(LINT_DIR)/tmp DBT_TARGET_PATH=$(LINT_DIR)/target DBT_LOG_PATH=$(LINT_DIR)/logs
DBT := $(BIN)/dbt
DBT_ARGS := --project-dir $(CURDIR) --profiles-dir $(CURDIR)

# `make bench` only: polars (the peer) and matplotlib (the PNG chart) on top of the tool set.
BENCH_STAMP := $(VENV)/.bench-installed-$(shell cat requirements.lock requirements-bench.lock pyproject.toml | cksum | cut -d' ' -f1)

# Spark (docs/spark.md): its own venv, the DuckDB tool set plus dbt-spark and pyspark.
SPARK_VENV := .venv-spark
SPARK_BIN := $(CURDIR)/$(SPARK_VENV)/bin
SPARK_STAMP := $(SPARK_VENV)/.installed-$(shell cat requirements.lock requirements-spark.lock requirements-uv.lock pyproject.toml | cksum | cut -d' ' -f1)
SPARK_CI_DIR := $(CURDIR)/build/spark-ci

# Reader clients the tests use: DuckDB 1.x (Python and CLI) in a venv of their own.
DUCKDB1_VENV := $(CURDIR)/build/duckdb1-venv
DUCKDB1_REQS := tests/clients/requirements-duckdb1.txt
DUCKDB1_STAMP := $(DUCKDB1_VENV)/.installed-$(shell cksum < $(DUCKDB1_REQS) | cut -d' ' -f1)

.PHONY: help venv run build summary check docs where test lint dbt-test pytest bench clean clients chromium report \
	spark-venv spark-test

help:
	@echo "make run    build the demo warehouse ($(DEMO_SELLERS) sellers x $(DEMO_MONTHS) months) and show a summary"
	@echo "make build  build from SELLER_STANDING_RAW_DIR (your exports), check, publish"
	@echo "make test   lint, dbt build with every data and unit test on a small fixed dataset, pytest"
	@echo "make docs   dbt docs of the last build (target/static_index.html)"
	@echo "make bench  time and measure the build at scale, beside a polars peer (results.json, PNG)"
	@echo "make report the account-health site of the published warehouse"
	@echo "make spark-test  build the CI dataset on DuckDB and on local Spark, compare every mart"
	@echo "                 (SPARK_LANDING=/path/to/folder: that landing folder instead)"

$(STAMP): requirements.lock requirements-uv.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "Installing pinned dependencies into $(VENV) ..."
	@$(call install_into,$(CURDIR)/$(VENV),-r requirements.lock)
	@$(call install_into,$(CURDIR)/$(VENV),--no-deps --no-build-isolation -e .)
	@$(BIN)/python -m compileall -q src >/dev/null
	@rm -f $(VENV)/.installed-* && touch $@

venv: $(STAMP)

$(BENCH_STAMP): $(STAMP) requirements-bench.lock
	@echo "Installing the pinned bench tools (polars, matplotlib) into $(VENV) ..."
	@$(call install_into,$(CURDIR)/$(VENV),-r requirements-bench.lock)
	@rm -f $(VENV)/.bench-installed-* && touch $@

$(SPARK_STAMP): requirements.lock requirements-spark.lock requirements-uv.lock pyproject.toml
	@test -x $(SPARK_BIN)/python || $(PYTHON) -m venv $(SPARK_VENV)
	@echo "Installing the pinned Spark tool set into $(SPARK_VENV) (pyspark builds once, a few minutes) ..."
	@$(call install_into,$(CURDIR)/$(SPARK_VENV),-r requirements.lock)
	@# pyspark comes as source: pip reuses the wheel it built the first time, uv builds it again
	@$(SPARK_BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-spark.lock
	@$(call install_into,$(CURDIR)/$(SPARK_VENV),--no-deps --no-build-isolation -e .)
	@$(SPARK_BIN)/python -m pip check
	@java -version 2>/dev/null || { echo "Spark needs Java 17 (apt-get install openjdk-17-jre-headless)"; exit 1; }
	@rm -f $(SPARK_VENV)/.installed-* && touch $@

spark-venv: $(SPARK_STAMP)

# The CI dataset (and tests/spark/landing_extra/) built with dbt on DuckDB and on local Spark;
# every mart compared row by row; both build times and their ratio printed.
# SPARK_LANDING=/path/to/folder: that landing folder instead (builds in build/spark-landing,
# evaluation date SPARK_EVALUATION_DATE, default today).
SPARK_LANDING ?=
SPARK_EVALUATION_DATE ?=
SPARK_LANDING_DIR := $(CURDIR)/build/spark-landing
spark-test: spark-venv
ifeq ($(strip $(SPARK_LANDING)),)
	SPARK_LOCAL_IP=127.0.0.1 $(SPARK_BIN)/python -m seller_standing.parity ci $(SPARK_CI_DIR)
else
	SPARK_LOCAL_IP=127.0.0.1 $(SPARK_BIN)/python -m seller_standing.parity landing "$(SPARK_LANDING)" \
		$(SPARK_LANDING_DIR) $(if $(strip $(SPARK_EVALUATION_DATE)),--evaluation-date $(SPARK_EVALUATION_DATE))
endif

$(DUCKDB1_STAMP): $(DUCKDB1_REQS)
	@rm -rf $(DUCKDB1_VENV) && $(PYTHON) -m venv $(DUCKDB1_VENV)
	@echo "Installing the DuckDB 1.x reader clients into $(DUCKDB1_VENV) ..."
	@$(call install_into,$(DUCKDB1_VENV),-r $(DUCKDB1_REQS))
	@touch $@

# Headless Chromium (Debian package) for the docs test; installed only when absent.
chromium:
	@test -x /usr/bin/chromium || { echo "Installing chromium (Debian package) ..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

clients: $(DUCKDB1_STAMP) chromium

run: venv
	$(BIN)/seller-standing generate --out $(DEMO_RAW) --sellers $(DEMO_SELLERS) --months $(DEMO_MONTHS)
	SELLER_STANDING_RAW_DIR=$(DEMO_RAW) $(BIN)/seller-standing build
	@echo
	@$(BIN)/seller-standing summary
	@echo
	@echo "Building the dbt docs ..."
	@SELLER_STANDING_RAW_DIR=$(DEMO_RAW) $(MAKE) --no-print-directory docs >/dev/null 2>&1 \
		|| echo "dbt docs failed: run 'make docs' to see why"
	@$(MAKE) --no-print-directory where

build: venv
	$(BIN)/seller-standing build

summary: venv
	@$(BIN)/seller-standing summary

check: venv
	$(BIN)/seller-standing check

# The landing folder of the last build: yours (SELLER_STANDING_RAW_DIR), else data/raw if it
# exists, else the demo set `make run` generated.
DOCS_RAW = $(or $(SELLER_STANDING_RAW_DIR),$(if $(wildcard $(CURDIR)/data/raw),$(CURDIR)/data/raw,$(DEMO_RAW)))
WAREHOUSE_DIR = $(patsubst %/,%,$(dir $(SELLER_STANDING_DB)))

docs: venv
	SELLER_STANDING_RAW_DIR=$(DOCS_RAW) $(DBT) docs generate --static $(DBT_ARGS) --quiet
	@echo "dbt docs: $(CURDIR)/target/static_index.html (one file; open it in a browser)"

where:
	@echo "Where things are:"
	@echo "  published warehouse (marts, rules; DuckDB 1.1+)   $(SELLER_STANDING_DB)"
	@echo "  Parquet copy of every mart                        $(WAREHOUSE_DIR)/parquet/<mart>.parquet"
	@echo "  dbt docs (open in a browser)                      $(CURDIR)/target/static_index.html"
	@echo "  Data Docs (quality suites)                        $(or $(SELLER_STANDING_DOCS_DIR),$(WAREHOUSE_DIR)/data_docs)/index.html"
	@echo "  private build file (everything, personal data)    $(or $(SELLER_STANDING_BUILD_DB),$(SELLER_STANDING_DB).building)"
	@echo "  semantic layer: SELLER_STANDING_TARGET=published $(VENV)/bin/mf query --saved-query finance_fees_by_month"

# Lint (mostly one core of Python) runs in the background beside the CI build and pytest, its
# output kept in build/lint.log and shown at the end; pytest reads the warehouse dbt-test has
# just built instead of building one more. make test fails when any of them fails.
test: venv
	@mkdir -p build
	@echo "make test: lint runs in the background (build/lint.log, shown at the end)"
	@$(MAKE) --no-print-directory lint > build/lint.log 2>&1 & linting=$$!; \
	tested=0; { $(MAKE) --no-print-directory dbt-test \
		&& $(MAKE) --no-print-directory pytest SELLER_STANDING_TEST_BUILD=$(CI_DIR); } || tested=$$?; \
	linted=0; wait $$linting || linted=$$?; \
	echo; echo "== lint (ruff, sqlfluff)"; cat build/lint.log; \
	if [ $$linted -ne 0 ]; then echo "make test: lint failed (above)"; fi; \
	if [ $$tested -ne 0 ]; then echo "make test: the CI build or pytest failed (further up)"; fi; \
	[ $$tested -eq 0 ] && [ $$linted -eq 0 ]

lint: venv
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	@mkdir -p $(LINT_DIR)
	$(LINT_ENV) $(BIN)/sqlfluff lint models analyses tests/singular

dbt-test: venv
	rm -rf $(CI_DIR) && mkdir -p $(CI_DIR)
	$(BIN)/seller-standing generate --out $(CI_RAW) --sellers 25 --months 14 --seed 7
	$(CI_ENV) $(BIN)/seller-standing build --with-unit-tests --evaluation-date $(CI_EVALUATION_DATE)
	$(CI_ENV) $(DBT) docs generate --static $(DBT_ARGS) --vars '{evaluation_date: "$(CI_EVALUATION_DATE)"}' --quiet

# Test files run in PYTEST_WORKERS processes (pytest-xdist), each file whole in one of them so
# that a module's warehouse is built once; most of a test build is dbt's single-threaded Python.
PYTEST_WORKERS ?= 2
# The slowest tests are listed at the end, to keep `make test` under its 15-minute budget.
PYTEST_ARGS ?= --durations=15
pytest: venv clients
	$(if $(SELLER_STANDING_TEST_BUILD),SELLER_STANDING_TEST_BUILD=$(SELLER_STANDING_TEST_BUILD)) \
		$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

bench: venv $(BENCH_STAMP)
	$(BIN)/python -m seller_standing.bench $(if $(BENCH_SIZES),--sizes $(BENCH_SIZES)) $(if $(BENCH_100M),--with-100m) $(BENCH_ARGS)

# Headless Chromium (Debian package) for the report's browser tests; installed only when absent.
# The account-health site of the published warehouse (warehouse/report/index.html).
report: venv
	$(BIN)/seller-standing report

clean:
	rm -rf build target logs data/demo warehouse
