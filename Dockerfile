# The Airflow image of a team deployment: the official Airflow image plus this project,
# installed from the same lock file as every development machine.

# The files GX's Data Docs would load from CDNs, fetched from the npm registry with `npm pack`
# and checked against their pinned sha512 (expectations/offline_docs.py, standard library only)
FROM node:20-bookworm AS data-docs-assets
COPY expectations/offline_docs.py /tmp/offline_docs.py
RUN python3 /tmp/offline_docs.py install --dest /data-docs-assets

FROM apache/airflow:3.3.2-python3.11

USER root
# Chinese fonts for the reports' charts and PDFs, Chromium to print the PDFs, poppler-utils to read them
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-noto-cjk chromium poppler-utils \
    && rm -rf /var/lib/apt/lists/*

USER airflow
WORKDIR /opt/project
COPY --chown=airflow:0 requirements.lock pyproject.toml README.md ./
RUN pip install --no-cache-dir "uv==0.13.9" \
    && uv pip install --no-cache --compile-bytecode --python "$(command -v python)" -r requirements.lock
# the stages and the application layer; samples/ (the sample-export generator) is a dev tool and
# stays out of the production image
COPY --chown=airflow:0 registry ./registry
COPY --chown=airflow:0 newmedia ./newmedia
# ops/: dbt's runner (the DAGs, `newmedia build`) and `newmedia run` (dag.test() in process)
COPY --chown=airflow:0 ops ./ops
COPY --chown=airflow:0 ingest ./ingest
COPY --chown=airflow:0 sentiment ./sentiment
COPY --chown=airflow:0 expectations ./expectations
COPY --chown=airflow:0 reports ./reports
COPY --chown=airflow:0 warehouse ./warehouse
COPY --chown=airflow:0 dbt_project ./dbt_project
COPY --chown=airflow:0 dags ./dags
COPY --from=data-docs-assets --chown=airflow:0 /data-docs-assets ./data-docs-assets
RUN pip install --no-cache-dir --no-deps -e . \
    && cd dbt_project && NEWMEDIA_HOME=/tmp dbt parse --quiet --profiles-dir . --project-dir .

ENV AIRFLOW__CORE__DAGS_FOLDER=/opt/project/dags \
    NEWMEDIA_DATA_DOCS_ASSETS=/opt/project/data-docs-assets \
    AIRFLOW__COSMOS__ENABLE_TELEMETRY=False \
    DO_NOT_TRACK=1
