"""Run the GX suites and say, for a person, which checks failed and on which rows.

On DuckDB the tables are read as pandas DataFrames over a read-only connection (GX's SQL source
cannot read DuckDB); on PostgreSQL GX reads them through its SQL data source. One GX context
serves a whole run; its results render as Data Docs under `<home>/data_docs/<run_id>/`, and the
latest status of every suite goes to `<home>/gates/status.json` (see `expectations.holds`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import math
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from expectations import suites
from registry.timezone import SHANGHAI

RESULT_FORMAT: dict[str, Any] = {"result_format": "SUMMARY", "partial_unexpected_count": 5}
TABLE_MISSING = "table_missing"
COULD_NOT_RUN = "could_not_run"


@dataclass
class FailedCheck:
    expectation: str
    column: str | None
    detail: str
    examples: list[Any] = field(default_factory=list)
    #: example failing rows: the row's key columns (grain, or file and row number) and the value
    rows: list[dict[str, Any]] = field(default_factory=list)

    def describe(self) -> str:
        where = f" on column {self.column}" if self.column else ""
        shown = f"; example values: {self.examples}" if self.examples else ""
        return f"{self.expectation}{where}: {self.detail}{shown}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "expectation": self.expectation,
            "column": self.column,
            "detail": self.detail,
            "examples": self.examples,
            "rows": self.rows,
        }


@dataclass
class GateResult:
    suite: str
    table: str
    severity: str
    success: bool
    evaluated: int
    failed: list[FailedCheck]
    #: the period a suite checked, where it checks one (platform coverage: the week)
    period: str | None = None
    run_id: str | None = None
    checked_at: str | None = None
    #: the run's Data Docs index, when they were written
    data_docs: str | None = None
    #: what the suite read (suite definition and rows, order aside), see `fingerprint`
    fingerprint: str | None = None
    #: the run that validated these very rows, when this run reused its result
    reused_from: str | None = None
    #: how many rows were validated (None where GX read the table itself: PostgreSQL)
    rows: int | None = None
    #: a raw suite that validated only the rows ingested after this time (its watermark)
    since: str | None = None
    #: a raw suite's place in its table: `{"through": <newest _ingested_at validated>, "shape":
    #: <digest of the suite and the table's columns>}`; the next run validates only the rows
    #: ingested after `through` while `shape` holds (see `read_suites`)
    watermark: dict[str, str] | None = None

    @property
    def blocks(self) -> bool:
        return self.severity == "blocking" and not self.success

    def as_dict(self) -> dict[str, Any]:
        return {
            "suite": self.suite,
            "table": self.table,
            "severity": self.severity,
            "success": self.success,
            "evaluated": self.evaluated,
            "failed": [f.as_dict() for f in self.failed],
            "period": self.period,
            "run_id": self.run_id,
            "checked_at": self.checked_at,
            "data_docs": self.data_docs,
            "fingerprint": self.fingerprint,
            "reused_from": self.reused_from,
            "rows": self.rows,
            "since": self.since,
            "watermark": self.watermark,
        }


class GateFailedError(Exception):
    """A blocking gate failed: the message names the suite, the checks and example rows.

    `results` holds the failed blocking suites, `all_results` every suite of the run."""

    def __init__(
        self, results: list[GateResult], all_results: list[GateResult] | None = None
    ) -> None:
        self.results = results
        self.all_results = all_results if all_results is not None else results
        lines = []
        for result in results:
            period = f", {result.period}" if result.period else ""
            lines.append(f"gate {result.suite} ({result.table}{period}) failed:")
            for check in result.failed:
                lines.append(f"  - {check.describe()}")
                lines += [f"      row {_row_text(row)}" for row in check.rows[:3]]
        docs = next((r.data_docs for r in results if r.data_docs), None)
        if docs:
            lines.append(f"Data Docs: {docs}")
        super().__init__("\n".join(lines))


def _row_text(row: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in row.items())


# --------------------------------------------------------------------------- the GX session


class _Session:
    """One ephemeral GX context for a run: a data source per kind, a Data Docs site if asked."""

    def __init__(self, docs_dir: Path | None = None, run_id: str | None = None) -> None:
        import great_expectations as gx
        from great_expectations.core.run_identifier import RunIdentifier
        from great_expectations.data_context.types.base import ProgressBarsConfig

        self.gx = gx
        self.context = gx.get_context(mode="ephemeral")
        self.context.variables.progress_bars = ProgressBarsConfig(
            globally=False, metric_calculations=False
        )
        self.run_id = run_id
        self.checked_at = dt.datetime.now(SHANGHAI).isoformat(timespec="seconds")
        self.gx_run_id = RunIdentifier(run_name=run_id, run_time=dt.datetime.now(dt.UTC))
        for site in list(self.context.list_data_docs_sites()):
            self.context.delete_data_docs_site(site)  # the ephemeral default writes to /tmp
        self.docs_dir = docs_dir
        if docs_dir is not None:
            self.context.add_data_docs_site(
                "newmedia",
                {
                    "class_name": "SiteBuilder",
                    "show_how_to_buttons": False,
                    "store_backend": {
                        "class_name": "TupleFilesystemStoreBackend",
                        "base_directory": str(docs_dir),
                    },
                    "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
                },
            )
        self._pandas: Any = None
        self._sql: Any = None
        #: suites validated by GX in this run (not reused)
        self.validated = 0

    def validate_frame(self, suite: suites.Suite, frame: pd.DataFrame) -> GateResult:
        if self._pandas is None:
            self._pandas = self.context.data_sources.add_pandas(name="frames")
        asset = self._pandas.add_dataframe_asset(name=suite.name)
        batch = asset.add_batch_definition_whole_dataframe(name="whole")
        key = [c for c in suite.key if c in frame.columns]
        period = _period(suite, frame)
        return self._run(suite, batch, {"dataframe": gx_frame(frame)}, key, period)

    def validate_sql(
        self, suite: suites.Suite, connection_string: str, as_of: dt.date
    ) -> GateResult:
        import sqlalchemy as sa

        if self._sql is None:
            self._sql = self.context.data_sources.add_postgres(
                name="warehouse", connection_string=connection_string
            )
        schema, name = _split_table(suite.table)
        engine = sa.create_engine(connection_string)
        try:
            inspector = sa.inspect(engine)
            if not inspector.has_table(name, schema=schema):
                return self.missing(suite)
            columns = {c["name"] for c in inspector.get_columns(name, schema=schema)}
            query = suite.query(suite.table, as_of)
            period = None
            if "__platforms" in suite.name:
                with engine.connect() as con:
                    weeks = con.execute(sa.text(f"select distinct week from ({query}) q")).all()
                period = weeks[0][0] if len(weeks) == 1 else None
        finally:
            engine.dispose()
        if query == f"select * from {suite.table}":
            asset = self._sql.add_table_asset(name=suite.name, table_name=name, schema_name=schema)
        else:
            asset = self._sql.add_query_asset(name=suite.name, query=query)
        batch = asset.add_batch_definition_whole_table(name="whole")
        key = [c for c in suite.key if c in columns]
        return self._run(suite, batch, None, key, period)

    def _run(
        self,
        suite: suites.Suite,
        batch: Any,
        batch_parameters: dict[str, Any] | None,
        key: list[str],
        period: str | None,
    ) -> GateResult:
        gx_suite = self.context.suites.add(suite.build())
        definition = self.context.validation_definitions.add(
            self.gx.ValidationDefinition(
                name=f"{suite.name}_validation", data=batch, suite=gx_suite
            )
        )
        result_format = dict(RESULT_FORMAT)
        if key:
            result_format["unexpected_index_column_names"] = key
        try:
            result = definition.run(
                batch_parameters=batch_parameters,
                result_format=result_format,
                run_id=self.gx_run_id,
            )
        except Exception as exc:  # a broken batch must not hide the other suites
            return self._result(
                suite, False, 0, [FailedCheck(COULD_NOT_RUN, None, f"could not run: {exc}")], period
            )
        failed = [_failed_check(r, period) for r in result.results if not r.success]
        self.validated += 1
        return self._result(suite, bool(result.success), len(result.results), failed, period)

    def reused(self, suite: suites.Suite, entry: dict[str, Any]) -> GateResult:
        """The recorded result `entry` of the same suite on the same rows, carried into this run:
        the checks are deterministic, so validating again would say the same."""
        failed = [
            FailedCheck(
                f["expectation"],
                f.get("column"),
                f["detail"],
                f.get("examples") or [],
                f.get("rows") or [],
            )
            for f in entry.get("failed") or []
        ]
        result = self._result(
            suite,
            bool(entry["success"]),
            int(entry.get("evaluated") or 0),
            failed,
            entry.get("period"),
        )
        result.fingerprint = entry.get("fingerprint")
        result.reused_from = entry.get("reused_from") or entry.get("run_id")
        result.data_docs = entry.get("data_docs")
        result.rows = entry.get("rows")
        result.since = entry.get("since")
        result.watermark = entry.get("watermark")
        return result

    def missing(self, suite: suites.Suite) -> GateResult:
        check = FailedCheck(
            TABLE_MISSING,
            None,
            f"table missing: {suite.table} does not exist in the warehouse (has dbt built it?)",
        )
        return self._result(suite, False, 0, [check], None)

    def _result(
        self,
        suite: suites.Suite,
        success: bool,
        evaluated: int,
        failed: list[FailedCheck],
        period: str | None,
    ) -> GateResult:
        return GateResult(
            suite=suite.name,
            table=suite.table,
            severity=suite.severity,
            success=success,
            evaluated=evaluated,
            failed=failed,
            period=period,
            run_id=self.run_id,
            checked_at=self.checked_at,
        )

    def build_docs(self, assets: Path | None = None) -> Path | None:
        if self.docs_dir is None:
            return None
        from expectations import offline_docs

        self.context.build_data_docs(site_names=["newmedia"])
        try:  # the pages load the project's copies of GX's CDN files: they open offline
            offline_docs.make_offline(self.docs_dir, assets)
        except offline_docs.AssetsMissingError as exc:  # still readable online: never lose a run
            logging.getLogger(__name__).warning("Data Docs will load from CDNs: %s", exc)
        return self.docs_dir / "index.html"


# --------------------------------------------------------------------------- public API


def validate_frame(
    suite_name: str, frame: pd.DataFrame, as_of: dt.date | None = None
) -> GateResult:
    """Validate one DataFrame (e.g. a fixture) with the suite `suite_name` in an ephemeral GX
    context. A suite that reads a selection of its table (the latest complete week, the latest
    rows) applies that selection to the frame."""
    suite = suites.load(suite_name)
    frame = select(suite, frame, as_of or today())
    return _Session().validate_frame(suite, frame)


def select(suite: suites.Suite, frame: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """The rows of `frame` the suite reads (its query run over the frame in DuckDB)."""
    if suite.query(suite.table, as_of) == f"select * from {suite.table}":
        return frame
    import duckdb

    con = duckdb.connect()
    try:
        con.register("frame", frame)
        return con.execute(suite.query("frame", as_of)).df()
    finally:
        con.close()


def run_gates(
    warehouse: Path | None = None,
    names: Sequence[str] | None = None,
    target: str = "duckdb",
    *,
    connection_string: str | None = None,
    home: Path | None = None,
    as_of: dt.date | None = None,
    data_docs: bool = True,
    raise_on_failure: bool = True,
    reuse: bool = True,
    docs_keep: int | None = None,
    docs_assets: Path | None = None,
    lock_timeout: float | None = None,
) -> list[GateResult]:
    """Run the suites `names` (default: every raw and mart suite on DuckDB, the mart suites on
    PostgreSQL, where the raw layer is not loaded) on the warehouse's tables.

    target "duckdb" reads `warehouse` (a DuckDB file) over a read-only connection; target
    "postgres" validates through GX's SQL source at `connection_string`. Data Docs go to
    `<home>/data_docs/<run_id>/` (home defaults to the warehouse file's folder, i.e.
    $NEWMEDIA_HOME; the newest `docs_keep` runs are kept, default 30; their scripts and styles
    copied from `docs_assets`, default offline_docs.assets_dir()), the status of each suite
    to `<home>/gates/status.json`. The DuckDB file is waited for at most `lock_timeout` seconds
    while a writer holds it (the settings' NEWMEDIA_LOCK_TIMEOUT; default: ingest.limits'). Raises GateFailedError when a blocking suite fails (unless
    raise_on_failure is False).

    On DuckDB, with `reuse`, a suite whose definition and rows (`fingerprint`) are those of its
    latest recorded result is not validated again: that result is carried over, `reused_from`
    naming the run that validated it (an incremental build leaves most tables as they were). A
    raw suite validates the rows ingested since its recorded `watermark` (see `read_suites`),
    and is carried over when there are none. Data Docs are written for the suites validated in
    this run, and not at all when none was."""
    from expectations import holds

    if names is None:
        # the raw layer is loaded into DuckDB only (ingest writes the DuckDB file)
        names = suites.all_suites() if target == "duckdb" else suites.MART_SUITES
    names = tuple(names)
    as_of = as_of or today()
    if target not in {"duckdb", "postgres"}:
        raise ValueError(f"target must be 'duckdb' or 'postgres', not {target!r}")
    if target == "duckdb" and warehouse is None:
        raise ValueError("run_gates on duckdb needs the warehouse file")
    if target == "postgres" and not connection_string:
        raise ValueError("run_gates on postgres needs a connection_string")
    if home is None:
        if warehouse is None:
            raise ValueError("run_gates needs `home` (where Data Docs and gate statuses go)")
        home = Path(warehouse).parent
    home = Path(home)
    run_id = new_run_id()
    docs_dir = home / "data_docs" / run_id if data_docs else None
    session = _Session(docs_dir=docs_dir, run_id=run_id)
    loaded = [suites.load(name) for name in names]

    results: list[GateResult] = []
    if target == "duckdb":
        previous = holds.load_status(home).get("suites", {}) if reuse else {}
        recorded = {
            name: entry["fingerprint"]
            for name, entry in previous.items()
            if entry.get("fingerprint") and entry.get("run_id")
        }
        watermarks = {
            name: entry["watermark"]
            for name, entry in previous.items()
            if isinstance(entry.get("watermark"), dict) and entry.get("run_id")
        }
        read = read_suites(
            Path(warehouse),  # type: ignore[arg-type]
            loaded,
            as_of,
            recorded,
            lock_timeout=lock_timeout,
            watermarks=watermarks,
        )
        for suite in loaded:
            rows = read.pop(suite.name)
            if rows.missing:
                results.append(session.missing(suite))
                continue
            if rows.frame is None:  # the rows of the recorded result: carried over
                results.append(session.reused(suite, previous[suite.name]))
                continue
            result = session.validate_frame(suite, rows.frame)
            result.fingerprint = rows.fingerprint
            result.rows = len(rows.frame)
            result.since = rows.kept_watermark["through"] if rows.kept_watermark else None
            # a failure keeps the old place: its rows are validated again with the newer ones
            result.watermark = rows.watermark if result.success else rows.kept_watermark
            results.append(result)
    else:
        for suite in loaded:
            results.append(session.validate_sql(suite, connection_string, as_of))  # type: ignore[arg-type]

    if docs_dir is not None and (session.validated or not results):
        index = session.build_docs(docs_assets)
        for result in results:
            if result.reused_from is None:
                result.data_docs = str(index)
        write_run_record(home, run_id, target, results, keep=docs_keep)
    holds.record_results(home, results)
    blocking = [r for r in results if r.blocks]
    if blocking and raise_on_failure:
        raise GateFailedError(blocking, results)
    return results


#: part of every fingerprint: a digest of another recipe never matches one of this recipe
FINGERPRINT_RECIPE = "duckdb-sql-1"
#: the temporary table holding the rows of a suite that is validated (see `read_suites`)
_ROWS_TABLE = "newmedia_gate_rows"


def definition_digest(suite: suites.Suite) -> str:
    """A SHA-256 of the suite's name and expectations (their configurations, as JSON)."""
    import hashlib

    definition = json.dumps(
        [e.configuration.to_json_dict() for e in suite.build().expectations],
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(f"{suite.name}\n{definition}".encode()).hexdigest()


def fingerprint(
    con: Any, suite: suites.Suite, sql: str, definition: str | None = None
) -> str | None:
    """A digest of what validating the rows of `sql` with `suite` depends on, computed inside
    DuckDB on the connection `con` without fetching a row: the suite's expectations
    (`definition_digest`, passed in or built), the columns' names and types (`describe`), and the
    rows as a multiset — their count, the sum (as a hugeint, which cannot overflow) and the xor
    of every row's hash (`hash(*columns(*))`, which hashes every cell, NULLs included: a NULL
    hashes to a constant no value has in practice), and the sum of a second hash of each row
    hash. Sums and xors do not depend on the order of the rows (a scan's order is not fixed);
    changing one cell changes its row's hash and so the sum. None when DuckDB cannot hash a
    column's type (the suite is then always validated)."""
    import hashlib

    import duckdb

    try:
        columns = _described(con, sql)
        count, total, mixed, spread = con.execute(
            "select count(*), coalesce(sum(h::hugeint), 0), coalesce(bit_xor(h), 0), "
            "coalesce(sum(hash(h)::hugeint), 0) "
            f"from (select hash(*columns(*)) as h from ({sql}))"
        ).fetchone()
    except duckdb.Error:
        return None
    digest = hashlib.sha256()
    digest.update(FINGERPRINT_RECIPE.encode())
    digest.update((definition or definition_digest(suite)).encode())
    digest.update(columns.encode())
    digest.update(f"{count}:{total}:{mixed}:{spread}".encode())
    return digest.hexdigest()


def shape_digest(con: Any, table: str, definition: str) -> str:
    """A SHA-256 of the suite's definition (`definition_digest`) and the columns' names and
    types of `table` on the DuckDB connection `con`: what must not have changed for a watermark
    to stand."""
    import hashlib

    described = _described(con, f"select * from {table}")
    return hashlib.sha256(f"{FINGERPRINT_RECIPE}\n{definition}\n{described}".encode()).hexdigest()


def _described(con: Any, sql: str) -> str:
    """The names and types of the columns of `sql` (DuckDB's `describe`), as JSON."""
    return json.dumps([[str(c[0]), str(c[1])] for c in con.execute(f"describe {sql}").fetchall()])


def today() -> dt.date:
    return dt.datetime.now(SHANGHAI).date()


def new_run_id() -> str:
    """Sortable and unique: Shanghai time to the second, then a short random suffix."""
    stamp = dt.datetime.now(SHANGHAI).strftime("%Y%m%dT%H%M%S")
    return f"{stamp}-{uuid.uuid4().hex[:6]}"


@dataclass
class SuiteRows:
    """What `read_suites` found for a suite."""

    #: the suite's table does not exist
    missing: bool = False
    #: see `fingerprint`; None when the table is missing or its rows cannot be hashed
    fingerprint: str | None = None
    #: the rows to validate; None when they are those of the recorded result (or missing)
    frame: pd.DataFrame | None = None
    #: for a suite with a `delta_column`: its watermark once `frame` passes (the newest value
    #: read, and the shape), and the one it had (kept when `frame` fails)
    watermark: dict[str, str] | None = None
    kept_watermark: dict[str, str] | None = None


def read_suites(
    warehouse: Path,
    loaded: Iterable[suites.Suite],
    as_of: dt.date,
    recorded: Mapping[str, str] | None = None,
    *,
    lock_timeout: float | None = None,
    watermarks: Mapping[str, Mapping[str, str]] | None = None,
) -> dict[str, SuiteRows]:
    """Each suite's fingerprint and, where it must be validated, its rows, over one read-only
    connection (warehouse.DuckDBReader, time zone Asia/Shanghai, waiting while a writer holds the
    file) that is closed before validating (DuckDB has one writer; a reader must not hold the
    file longer than it needs).

    The fingerprint is computed in DuckDB over the suite's query; a suite whose fingerprint is
    the one `recorded` for it (suite name -> fingerprint of its latest result) is not read. The
    others are read from a temporary table holding their query's rows, and fingerprinted on that
    table, so the fingerprint recorded is that of the very rows validated even where the query's
    rows are not fixed (a limit among equal `_ingested_at`).

    A suite with a `delta_column` (the raw suites: rows are only appended, each with its ingest
    time) reads, instead of its query, its `delta_query`: the rows after the `through` of its
    recorded watermark (`watermarks`: suite name -> {"through", "shape"}), when the watermark's
    `shape` is that of the suite's definition and the table's columns today (a new column, a
    changed type or a changed suite validates the table's newest rows again). No row after it:
    the recorded result is carried over. The rows read are then fingerprinted and compared with
    the recorded result as above (a failed suite's rows unchanged: carried over, still failed)."""
    from warehouse import open_reader

    recorded = recorded or {}
    watermarks = watermarks or {}
    with open_reader("duckdb", duckdb_path=warehouse, lock_timeout=lock_timeout) as reader:
        existing = set(
            reader.rows("select table_schema, table_name from information_schema.tables")
        )
        out: dict[str, SuiteRows] = {}
        for suite in loaded:
            if _split_table(suite.table) not in existing:
                out[suite.name] = SuiteRows(missing=True)
                continue
            sql = suite.query(suite.table, as_of)
            definition = definition_digest(suite)
            column = getattr(suite, "delta_column", None)
            delta_query = getattr(suite, "delta_query", None)
            shape = kept = None
            if column is not None and delta_query is not None:
                shape = shape_digest(reader.con, suite.table, definition)
                mark = watermarks.get(suite.name) or {}
                if mark.get("shape") == shape and mark.get("through"):
                    with contextlib.suppress(ValueError):  # not a timestamp: read as if none
                        sql = delta_query(suite.table, mark["through"])
                        kept = {"through": str(mark["through"]), "shape": shape}
                if kept is not None and not reader.con.execute(f"select 1 from ({sql})").fetchone():
                    out[suite.name] = SuiteRows(fingerprint=recorded.get(suite.name))
                    continue  # nothing ingested since: the recorded result stands
            if suite.name in recorded:
                stamp = fingerprint(reader.con, suite, sql, definition)
                if stamp is not None and stamp == recorded[suite.name]:
                    out[suite.name] = SuiteRows(fingerprint=stamp)
                    continue
            reader.con.execute(f"create or replace temp table {_ROWS_TABLE} as {sql}")
            try:
                rows = f"select * from {_ROWS_TABLE}"
                watermark = None
                if shape is not None:
                    (through,) = reader.con.execute(
                        f'select cast(max("{column}") as varchar) from {_ROWS_TABLE}'
                    ).fetchone()
                    watermark = {"through": through, "shape": shape} if through else kept
                out[suite.name] = SuiteRows(
                    fingerprint=fingerprint(reader.con, suite, rows, definition),
                    frame=reader.frame(rows),
                    watermark=watermark,
                    kept_watermark=kept,
                )
            finally:
                reader.con.execute(f"drop table if exists {_ROWS_TABLE}")
        return out


def postgres_url(postgres: Mapping[str, Any]) -> str:
    """The SQLAlchemy URL of the PostgreSQL warehouse `postgres` (psycopg2.connect() arguments:
    the settings' NEWMEDIA_PG_*, the ones dbt's postgres target reads)."""
    from sqlalchemy.engine import URL

    return URL.create(
        "postgresql+psycopg2",
        username=postgres.get("user"),
        password=postgres.get("password") or None,
        host=postgres.get("host"),
        port=int(postgres["port"]) if postgres.get("port") else None,
        database=postgres.get("dbname"),
    ).render_as_string(hide_password=False)


# --------------------------------------------------------------------------- helpers


def _split_table(table: str) -> tuple[str, str]:
    schema, _, name = table.partition(".")
    return schema.strip('"'), name.strip('"')


def _period(suite: suites.Suite, frame: pd.DataFrame) -> str | None:
    if "__platforms" not in suite.name or "week" not in frame.columns:
        return None
    weeks = frame["week"].dropna().unique()
    return str(weeks[0]) if len(weeks) == 1 else None


def gx_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame in dtypes GX 1.24 understands: pandas 3's `str`, nullable integer and
    tz-aware datetime dtypes become object, int64/float64 and naive UTC datetimes (GX's type
    expectations do not recognise the former; the values are unchanged)."""
    out = frame.copy()
    for name in out.columns:
        s = out[name]
        if isinstance(s.dtype, pd.StringDtype):
            out[name] = s.astype(object).where(s.notna(), None)
        elif pd.api.types.is_integer_dtype(s.dtype) and pd.api.types.is_extension_array_dtype(
            s.dtype
        ):
            out[name] = s.astype("int64") if not s.isna().any() else s.astype("float64")
        elif isinstance(s.dtype, pd.DatetimeTZDtype):
            out[name] = s.dt.tz_convert("UTC").dt.tz_localize(None)
    return out


def _failed_check(check: Any, period: str | None = None) -> FailedCheck:
    config = check.expectation_config
    kwargs = dict(config.kwargs)
    details = check.result or {}
    column = kwargs.get("column")
    if column is None and kwargs.get("column_A"):
        column = f"{kwargs['column_A']}, {kwargs['column_B']}"
    if column is None and kwargs.get("column_list"):
        column = ", ".join(kwargs["column_list"])
    examples: list[Any] = list(details.get("partial_unexpected_list") or [])
    mismatched = (details.get("details") or {}).get("mismatched")
    if check.exception_info and check.exception_info.get("raised_exception"):
        detail = f"could not run: {check.exception_info.get('exception_message')}"
    elif "partial_missing_list" in details:
        missing = list(details["partial_missing_list"])
        where = f" in {period}" if period else ""
        detail = f"{len(missing)} expected value(s) absent{where}: {', '.join(map(str, missing))}"
        examples = missing
    elif isinstance(mismatched, dict):
        extra, missing = mismatched.get("unexpected") or [], mismatched.get("missing") or []
        detail = f"columns not expected: {extra or 'none'}; columns missing: {missing or 'none'}"
        examples = [*extra, *missing]
    elif "unexpected_count" in details:
        detail = f"{details['unexpected_count']} of {details.get('element_count')} rows fail"
        if kwargs.get("mostly") is not None:
            detail += f" (at most {1 - kwargs['mostly']:.0%} may)"
        if kwargs.get("column_A"):
            relation = "≥" if kwargs.get("or_equal") else ">"
            detail += f", expected {kwargs['column_A']} {relation} {kwargs['column_B']}"
        else:
            detail += f", expected {_expected(kwargs)}"
    else:
        observed = details.get("observed_value")
        detail = f"observed {_plain(observed)!r}, expected {_expected(kwargs)}"
    rows = [
        {k: _plain(v) for k, v in row.items()}
        for row in (details.get("partial_unexpected_index_list") or [])[:5]
        if isinstance(row, dict)
    ]
    return FailedCheck(
        expectation=config.type,
        column=column,
        detail=detail,
        examples=[_plain(v) for v in examples[:5]],
        rows=rows,
    )


def _expected(kwargs: dict[str, Any]) -> str:
    hidden = {"batch_id", "column", "column_A", "column_B", "column_list", "mostly"}
    shown = {k: v for k, v in kwargs.items() if k not in hidden and v is not None}
    return json.dumps(shown, ensure_ascii=False, default=str)


def _plain(value: Any) -> Any:
    """A JSON-friendly value: numpy scalars as Python numbers, NaN as None, the rest as text."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if hasattr(value, "item") and not isinstance(value, (list, tuple, dict)):
        with contextlib.suppress(ValueError, AttributeError):
            value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (int, float, bool, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return str(value)


def write_run_record(
    home: Path, run_id: str, target: str, results: list[GateResult], keep: int | None = None
) -> Path:
    """`<home>/data_docs/<run_id>/results.json` and the runs' index `<home>/data_docs/index.html`
    (newest first, each run's suites and whether they passed). Keeps the newest `keep` runs
    (the settings' NEWMEDIA_DATA_DOCS_KEEP; default 30)."""
    from expectations import docs_index

    run_dir = home / "data_docs" / run_id
    run_dir.mkdir(parents=True, exist_ok=True)
    record = {
        "run_id": run_id,
        "target": target,
        "checked_at": results[0].checked_at if results else None,
        "results": [r.as_dict() for r in results],
    }
    (run_dir / "results.json").write_text(
        json.dumps(record, ensure_ascii=False, indent=2, default=str), encoding="utf-8"
    )
    return docs_index.write(home / "data_docs", run_dir, keep)
