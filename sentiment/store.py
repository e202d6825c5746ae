"""The classifier's labels in the raw layer: ``raw._sentiment_labels``, one row per distinct text of
a mention or comment, keyed by the md5 of the text (what dbt's ``dbt.hash`` computes on DuckDB and
PostgreSQL alike), with its label, score, negative probability, the model version that gave them, when, and the id of
the labelling run (``batch_id``, what ingest.pg_mirror mirrors by, as it mirrors files by SHA-256).

`label_new_texts` runs before every dbt run (``newmedia.tasks.prepare_warehouse``) and before the
raw layer is mirrored to PostgreSQL (``ingest.pg_mirror.sync_raw_to_postgres``): it classifies the
texts that have no label from the current model version yet (new texts, or every text after the
model changed) and replaces their rows, in one transaction. The table is derived data: it can
be dropped at any time and is rebuilt by the next run. dbt reads it through the source
``sentiment.labels`` (staging model ``stg_sentiment__labels``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from registry.timezone import SHANGHAI
from sentiment.classifier import classify_many, model_version

SCHEMA = "raw"
TABLE_NAME = "_sentiment_labels"
TABLE = f"{SCHEMA}.{TABLE_NAME}"
KEY = "text_hash"
BATCH = "batch_id"
COLUMNS = (
    "text_hash",
    "sentiment",
    "score",
    "p_negative",
    "model_version",
    "classified_at",
    "batch_id",
)

DDL = f"""
create table if not exists {TABLE} (
    text_hash varchar not null,
    sentiment varchar not null,
    score double not null,
    p_negative double not null,
    model_version varchar not null,
    classified_at timestamptz not null,
    batch_id varchar not null
)
"""


def text_sources() -> list[tuple[str, str]]:
    """(raw table, text column) of every report type whose rows are mentions or comments: the
    MediaCrawler comments of each platform and the mentions template."""
    from ingest.platforms import all_specs

    sources = []
    for spec in all_specs():
        if spec.report == "comments":
            sources.append((spec.table, "content"))
        elif spec.platform == "brand" and spec.report == "mentions":
            sources.append((spec.table, "text"))
    return sorted(sources)


def ensure_table(con: Any) -> None:
    """Create the labels table; one of another shape (an older release) is derived data, so it
    is dropped and made again (every text is then labelled anew)."""
    con.execute(f"create schema if not exists {SCHEMA}")
    columns = [
        row[0]
        for row in con.execute(
            "select column_name from information_schema.columns "
            "where table_schema = ? and table_name = ? order by ordinal_position",
            [SCHEMA, TABLE_NAME],
        ).fetchall()
    ]
    if columns and tuple(columns) != COLUMNS:
        con.execute(f"drop table {TABLE}")
    con.execute(DDL)


def _existing_tables(con: Any) -> set[str]:
    rows = con.execute(
        "select table_name from information_schema.tables where table_schema = ?", [SCHEMA]
    ).fetchall()
    return {row[0] for row in rows}


def pending_sql(tables: list[tuple[str, str]]) -> str:
    """The distinct non-empty texts of `tables` without a label of the model version `?`."""
    texts = "\n    union\n    ".join(
        f'select "{column}" as item_text from {SCHEMA}."{table}" where "{column}" is not null'
        for table, column in tables
    )
    return f"""
with texts as (
    {texts}
),
hashed as (
    select md5(item_text) as text_hash, item_text from texts
),
current_labels as (
    select text_hash from {TABLE} where model_version = ?
)
select hashed.text_hash, hashed.item_text
from hashed
left join current_labels using (text_hash)
where current_labels.text_hash is null
"""


def label_new_texts(con: Any, now: dt.datetime | None = None) -> dict[str, Any]:
    """Classify the mention and comment texts of the raw layer that have no label from the
    current model version, and store their labels (replacing older versions' rows) in one
    transaction. `con` is a read-write DuckDB connection to the warehouse whose raw tables
    exist. Returns {"texts": labelled now, "model_version": ...}; a run that labels texts is one
    batch (a new `batch_id` on its rows)."""
    version = model_version()
    ensure_table(con)
    present = _existing_tables(con)
    tables = [(table, column) for table, column in text_sources() if table in present]
    if not tables:
        return {"texts": 0, "model_version": version}
    pending = con.execute(pending_sql(tables), [version]).df()
    if pending.empty:
        return {"texts": 0, "model_version": version}
    labelled = classify_many(pending["item_text"])
    frame = pending[["text_hash"]].assign(
        sentiment=labelled["label"].to_numpy(),
        score=labelled["score"].to_numpy(),
        p_negative=labelled["p_negative"].to_numpy(),
        model_version=version,
        classified_at=now or dt.datetime.now(SHANGHAI),
        batch_id=uuid.uuid4().hex,
    )
    con.register("_new_sentiment_labels", frame)
    try:
        con.execute("begin transaction")
        try:
            con.execute(
                f"delete from {TABLE} where text_hash in "
                "(select text_hash from _new_sentiment_labels)"
            )
            con.execute(
                f"insert into {TABLE} ({', '.join(COLUMNS)}) "
                f"select {', '.join(COLUMNS)} from _new_sentiment_labels"
            )
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
    finally:
        con.unregister("_new_sentiment_labels")
    return {"texts": len(frame), "model_version": version}
