"""The dashboard (数据看板): Apache Superset in its own virtualenv (`.venv-superset/`, from
`dashboards/requirements.lock`), provisioned from the YAML under `dashboards/assets/`
(`provision.py`, run with that virtualenv's Python) and reading only the `marts` schema: on
DuckDB a read-only snapshot the pipeline publishes after the gates pass (`snapshot.py`), on
PostgreSQL the read-only BI role."""
