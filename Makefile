# newmedia-warehouse: the two commands are `make demo` and `make test`.
# Everything lands in .venv/ (created from the committed lock file) and $(NEWMEDIA_HOME).

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
STAMP := $(VENV)/.installed-stamp
MANIFEST := dbt_project/target/manifest.json
# the files GX's Data Docs would load from CDNs, fetched from the npm registry (see expectations/offline_docs.py)
DOCS_ASSETS := $(VENV)/share/newmedia/data-docs-assets/manifest.json
DBT_SOURCES := $(shell find dbt_project/models dbt_project/macros dbt_project/tests -type f 2>/dev/null) dbt_project/dbt_project.yml dbt_project/profiles.yml

export DO_NOT_TRACK := 1
export AIRFLOW__COSMOS__ENABLE_TELEMETRY := False
export NEWMEDIA_HOME ?= $(CURDIR)/var
export NEWMEDIA_EXPORTS ?= $(CURDIR)/exports

SUPERSET_VENV := .venv-superset
SUPERSET_STAMP := $(SUPERSET_VENV)/.installed-stamp
export NEWMEDIA_DASHBOARD_PORT ?= 8088

.PHONY: install system-deps demo test lint format pytest dbt-build clean bench-ingest bench-build \
	bench-gates bench-transform bench-sentiment dashboard dashboard-install cluster cluster-stop cluster-status \
	airflow

## install: create .venv from requirements.lock (idempotent, fast when nothing changed)
install: system-deps $(STAMP) $(MANIFEST) $(DOCS_ASSETS)

## system-deps: the Debian packages the project needs (Chromium renders the PDF and checks the
## HTML, Noto Sans CJK draws the Chinese text, poppler-utils reads the PDF back, the PostgreSQL
## server runs the tests' throwaway clusters and `make cluster`, redis-server is the cluster's
## Celery broker, npm fetches the Data Docs' scripts and styles at install time); installed with
## apt-get only when one is missing
system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing="$$missing fonts-noto-cjk fontconfig"; \
	command -v pdftoppm >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v redis-server >/dev/null 2>&1 || missing="$$missing redis-server"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages:$$missing"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q --no-install-recommends $$missing; \
	fi

# --compile-bytecode: the packages' .pyc files are written once here, as pip does (uv does not by
# default); without them every process (each dbt start-up, Great Expectations in the gates, the
# Airflow tasks) compiles what it imports again whenever the environment sets
# PYTHONDONTWRITEBYTECODE or site-packages is read-only, several seconds each time
$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	$(BIN)/uv pip sync --quiet --compile-bytecode --python $(BIN)/python requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e . --config-settings editable_mode=compat
	@touch $@

# Data Docs that open offline: Bootstrap, jQuery, bootstrap-table, vega, Font Awesome… pinned by
# version and sha512, fetched once with `npm pack` and kept in the venv (never at run time)
$(DOCS_ASSETS): $(STAMP) expectations/offline_docs.py
	$(BIN)/python -m expectations.offline_docs install $${NEWMEDIA_DATA_DOCS_ASSETS:+--dest "$$NEWMEDIA_DATA_DOCS_ASSETS"}
	@touch $@

# the DAGs render dbt from its manifest, so parsing a DAG never runs dbt
$(MANIFEST): $(STAMP) $(DBT_SOURCES)
	cd dbt_project && ../$(BIN)/dbt parse --quiet --profiles-dir . --project-dir .
	@touch $@

## demo: 35 weeks of sample exports (two complete quarters) → the pipeline once through the
## Airflow DAGs → the warehouse and the three reports of the latest complete week and quarter
DEMO_WEEKS ?= 35
demo: install
	$(BIN)/newmedia generate-exports --out $(NEWMEDIA_EXPORTS) --weeks $(DEMO_WEEKS)
	$(BIN)/newmedia run

## test: linters and the whole test suite
test: install lint pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@# an empty home: the models render as on a first build, whatever warehouse var/ holds
	@rm -rf .make/lint-home && mkdir -p .make/lint-home
	cd dbt_project && NEWMEDIA_HOME=$(CURDIR)/.make/lint-home ../$(BIN)/sqlfluff lint models --disable-progress-bar

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	@rm -rf .make/lint-home && mkdir -p .make/lint-home
	cd dbt_project && NEWMEDIA_HOME=$(CURDIR)/.make/lint-home ../$(BIN)/sqlfluff fix models --disable-progress-bar

## pytest: the test suite in PYTEST_WORKERS parallel processes (pytest-xdist; tests/conftest.py says
## how the tests are shared out) and the 20 slowest at the end; PYTEST_WORKERS=0 runs it in one process
# 3 on the 2-core machine: the long tests wait on servers and subprocesses (DECISIONLOG.md)
PYTEST_WORKERS ?= 3
# the dashboard tests drive Superset from its own virtualenv
pytest: install dashboard-install
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --durations=20

## cluster: the team deployment on this machine, without Docker: PostgreSQL (Airflow metadata and
## the warehouse), Redis, Airflow's api-server, scheduler, dag-processor, triggerer and two Celery
## workers on the postgres target, under $(NEWMEDIA_HOME)/cluster; prints the UI address and login
cluster: install
	$(BIN)/python -m ops.cluster start

## cluster-stop: stop every process of `make cluster` (the data stay for the next start)
cluster-stop:
	$(BIN)/python -m ops.cluster stop

cluster-status:
	$(BIN)/python -m ops.cluster status

## airflow: a local Airflow (LocalExecutor, SQLite metadata) on the embedded warehouse with the
## project's DAGs, in the foreground until Ctrl-C; prints the UI address and login
airflow: install
	$(BIN)/python -m ops.cluster airflow

## dashboard-install: Apache Superset in its own virtualenv (.venv-superset/) from
## dashboards/requirements.lock (it pins SQLAlchemy 1.4 and pandas 2.1, which the project's lock
## cannot hold)
dashboard-install: $(SUPERSET_STAMP)

$(SUPERSET_STAMP): dashboards/requirements.lock $(STAMP)
	@test -x $(SUPERSET_VENV)/bin/python || $(PYTHON) -m venv $(SUPERSET_VENV)
	$(BIN)/uv pip sync --quiet --python $(SUPERSET_VENV)/bin/python dashboards/requirements.lock
	@touch $@

## dashboard: 数据看板 — provision Superset (metadata, login, the dashboards of dashboards/assets)
## and serve it on http://127.0.0.1:$(NEWMEDIA_DASHBOARD_PORT) (Ctrl-C stops it); on DuckDB it
## reads the snapshot of the marts the pipeline publishes after the gates pass (`make demo`)
dashboard: install dashboard-install
	@if [ "$${NEWMEDIA_TARGET:-duckdb}" != postgres ] && [ ! -f "$(NEWMEDIA_HOME)/dashboard/dashboard.duckdb" ]; then \
		echo "note: no snapshot of the marts at $(NEWMEDIA_HOME)/dashboard/ yet: run \`make demo\` (or the pipeline) and reload"; \
	fi
	$(SUPERSET_VENV)/bin/python dashboards/provision.py provision
	$(SUPERSET_VENV)/bin/python dashboards/provision.py serve

## dbt-build: dbt build on the current warehouse (NEWMEDIA_HOME)
dbt-build: install
	$(BIN)/newmedia build

clean:
	rm -rf var dbt_project/target dbt_project/logs .pytest_cache

## bench-ingest: rows/s of ingest on 2M generated CSV rows beside DuckDB's read_csv, peak memory, xlsx
bench-ingest: install
	$(BIN)/python bench/ingest_bench.py

## bench-build: full dbt run and incremental rerun after one more week on ≥1M content snapshots and orders
bench-build: install
	$(BIN)/python bench/build_bench.py

## bench-gates: the gate step with every suite unchanged, rows read and hashed in pandas (the previous
## way) beside the SQL fingerprint, same run; then one changed mart cell (BENCH_ROWS=300000 rows per family)
bench-gates: install
	$(BIN)/python bench/gates_bench.py $(if $(BENCH_ROWS),--rows $(BENCH_ROWS))

## bench-transform: transform_marts through Airflow (dag.test) beside a plain dbt build of the same
## data, in the same run (35 weeks of samples in a scratch home; BENCH_HOME=var reuses the demo's)
bench-transform: install
	$(BIN)/python bench/transform_bench.py $(if $(BENCH_HOME),--home $(BENCH_HOME))

## bench-sentiment: texts/s of the trained sentiment model on 1M distinct texts (one process) and of labelling them in a warehouse
bench-sentiment: install
	$(BIN)/python -m sentiment.bench
