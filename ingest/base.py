"""The one interface every platform reader implements: report specs that recognise a report type
from its header and turn its cells into typed columns.

A platform module (`ingest/platforms/<platform>.py`) declares its report types as `ReportSpec`s:
the raw column names, the header labels that mean them (alias lists, matched by name, never by
position), what kind of value each holds and which are required. `detect` finds the header row
and the report type; `ReportSpec.convert` types a frame of cells.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ingest import parse, personal
from registry.timezone import TZ_NAME

#: value kinds and the DuckDB type each is stored as
KIND_TYPES: dict[str, str] = {
    "text": "VARCHAR",
    "id": "VARCHAR",
    "pii": "VARCHAR",  # personal data: hashed with the installation's salt before it lands
    "count": "BIGINT",
    "number": "DOUBLE",
    "rate": "DOUBLE",  # a 0-1 fraction; bare numbers are fractions
    "rate_percent": "DOUBLE",  # bare numbers are percent units (60.25 = 0.6025)
    "rate_hundredth": "DOUBLE",  # bare integers where 100 = 1 %
    "stars": "DOUBLE",
    "duration": "DOUBLE",  # seconds
    "timestamp": "TIMESTAMPTZ",
    "date": "DATE",
    "bool": "BOOLEAN",
}


@dataclass(frozen=True)
class Column:
    """One column of a report type."""

    name: str
    aliases: tuple[str, ...]
    kind: str = "text"
    required: bool = False  # the header must carry it, and its cells must parse
    not_null: bool = False  # every row must have a value (keys)
    capped: bool = False  # a count that may be a lower bound ("10万+") or a range ("7.5w~10w")
    numeric: str = "auto"  # how bare numbers are read for timestamps: auto, excel, unix_s, ...

    def __post_init__(self) -> None:
        if self.kind not in KIND_TYPES:
            raise ValueError(f"unknown column kind {self.kind!r} for {self.name}")

    def sql_columns(self) -> list[tuple[str, str]]:
        columns = [(self.name, KIND_TYPES[self.kind])]
        if self.capped:
            columns += [(f"{self.name}_is_capped", "BOOLEAN"), (f"{self.name}_upper", "BIGINT")]
        return columns


class RowError(Exception):
    """A row breaks a hard rule: the message names the row, column and value."""


#: chunks of at least this many rows have their columns typed by a pool of threads
PARALLEL_ROWS = 20_000
_POOL: tuple[int, ThreadPoolExecutor] | None = None


def _column_pool() -> ThreadPoolExecutor:
    """The threads that type columns, one pool per process (a forked child makes its own)."""
    global _POOL
    if _POOL is None or _POOL[0] != os.getpid():
        workers = max(2, min(4, os.cpu_count() or 2))
        _POOL = (os.getpid(), ThreadPoolExecutor(workers, thread_name_prefix="ingest-column"))
    return _POOL[1]


@dataclass(frozen=True)
class ReportSpec:
    """A report type: its platform, its id, and its columns."""

    platform: str
    report: str
    title: str  # what a marketer calls it, e.g. "小红书 笔记列表明细表"
    columns: tuple[Column, ...]
    #: header labels that must all be present for the header to be this report type
    signature: tuple[str, ...] = ()
    #: extra cleanup of the typed frame (platform-specific), after `convert`
    post: Callable[[pd.DataFrame], pd.DataFrame] | None = field(default=None, compare=False)
    #: folders under exports/ where this report may sit (default: the platform's own folder)
    folders: tuple[str, ...] = ()

    @property
    def folder_names(self) -> tuple[str, ...]:
        return self.folders or (self.platform,)

    @property
    def table(self) -> str:
        return f"{self.platform}__{self.report}"

    def match(self, labels: Sequence[str]) -> tuple[dict[str, str], list[Column]]:
        """Map header labels to columns by name. Returns {label: column name} and the required
        columns that are missing."""
        normalised = {_norm(label): label for label in labels}
        mapping: dict[str, str] = {}
        missing: list[Column] = []
        for column in self.columns:
            label = next(
                (
                    normalised[_norm(a)]
                    for a in (column.name, *column.aliases)
                    if _norm(a) in normalised
                ),
                None,
            )
            if label is None:
                if column.required:
                    missing.append(column)
            else:
                mapping[label] = column.name
        return mapping, missing

    def score(self, labels: Sequence[str]) -> float:
        """How well a row of labels looks like this report's header: 0 when it is not a
        candidate (a signature label absent, fewer than half of the required columns, or fewer
        than two columns matched); else the share of required columns present plus half the
        share of all columns present, so a fuller match ranks higher."""
        normalised = {_norm(label) for label in labels}
        if self.signature and not all(_norm(s) in normalised for s in self.signature):
            return 0.0

        def present(column: Column) -> bool:
            return any(_norm(a) in normalised for a in (column.name, *column.aliases))

        required = [c for c in self.columns if c.required]
        hits = sum(present(c) for c in self.columns)
        required_share = sum(present(c) for c in required) / len(required) if required else 1.0
        if hits < 2 or required_share < 0.5:
            return 0.0
        return required_share + 0.5 * hits / len(self.columns)

    def convert(self, cells: pd.DataFrame, mapping: dict[str, str], salt: bytes) -> ConvertResult:
        """Type the mapped cells; unknown columns go to `_extra`, unparseable optional cells to
        `_invalid` (as text, so nothing is lost). Raises RowError on a hard-rule violation."""
        by_name = {c.name: c for c in self.columns}
        out = pd.DataFrame(index=cells.index)
        invalid_cells: dict[str, pd.Series] = {}
        work = [(label, by_name[name], cells[label]) for label, name in mapping.items()]

        def type_column(column: Column, raw: pd.Series) -> tuple[pd.DataFrame, pd.Series]:
            typed = _convert_column(column, raw, salt)
            value = typed[column.name]
            bad = parse.invalid_mask(raw, value)
            if column.not_null:
                bad = bad | value.isna()
            return typed, bad

        futures = []
        if len(cells) >= PARALLEL_ROWS and len(work) > 1:
            # a big chunk: its columns are typed in threads (pyarrow and numpy release the
            # GIL), and looked at in their order below, so the first bad column is the one
            # the message names, as when typed one after the other
            pool = _column_pool()
            futures = [pool.submit(type_column, column, raw) for _, column, raw in work]
            outcomes = (future.result() for future in futures)
        else:
            outcomes = (type_column(column, raw) for _, column, raw in work)
        try:
            for (label, column, raw), (typed, bad) in zip(work, outcomes, strict=True):
                self._take_column(cells, out, invalid_cells, label, column, raw, typed, bad)
        finally:
            for future in futures:
                future.cancel()
        for column in self.columns:
            for key, sql_type in column.sql_columns():
                if key not in out.columns:
                    out[key] = pd.Series(pd.NA, index=cells.index, dtype=_PANDAS_NULL[sql_type])
        if self.post is not None:
            out = self.post(out)
        extra_labels = [
            label for label in cells.columns if label not in mapping and label != "_row_number"
        ]
        # personal data by its form, in any text (known columns, unknown ones, unreadable cells)
        for column in self.columns:
            if column.kind == "text" and column.name in out.columns:
                out[column.name] = personal.mask_series(out[column.name], salt)
        out["_row_number"] = cells["_row_number"].astype("int64")
        extra = personal.mask_frame(cells[extra_labels], salt)
        invalid = personal.mask_frame(pd.DataFrame(invalid_cells, index=cells.index), salt)
        if not invalid_cells:
            invalid = pd.DataFrame(index=cells.index)
        return ConvertResult(out, extra, invalid)

    @staticmethod
    def _take_column(
        cells: pd.DataFrame,
        out: pd.DataFrame,
        invalid_cells: dict[str, pd.Series],
        label: str,
        column: Column,
        raw: pd.Series,
        typed: pd.DataFrame,
        bad: pd.Series,
    ) -> None:
        """Add one typed column to `out`; raise RowError if its bad cells break a hard rule."""
        if bad.any():
            if column.required or column.not_null:
                first = bad.idxmax()
                shown = raw.loc[first]
                problem = (
                    "is empty" if parse.is_null(raw.loc[[first]]).iloc[0] else "cannot be read"
                )
                raise RowError(
                    f"row {cells.loc[first, '_row_number']}, column 「{label}」: value "
                    f"{shown!r} {problem} as {_KIND_WORDS[column.kind]}"
                    f" ({int(bad.sum())} row(s) like this in the file)"
                )
            invalid_cells[label] = raw.where(bad)
        for key in typed.columns:
            out[key] = typed[key]

    def sql_schema(self) -> list[tuple[str, str]]:
        columns: list[tuple[str, str]] = []
        for column in self.columns:
            columns += column.sql_columns()
        return columns


@dataclass
class ConvertResult:
    typed: pd.DataFrame
    extra: pd.DataFrame  # unknown columns, raw cells
    invalid: pd.DataFrame  # unparseable optional cells, raw values where bad, NA elsewhere


_KIND_WORDS = {
    "text": "text",
    "id": "an id",
    "pii": "text",
    "count": "a count (like 1234, 1.2万 or 10万+)",
    "number": "a number",
    "rate": "a rate (like 0.2864 or 28.64%)",
    "rate_percent": "a rate in percent",
    "rate_hundredth": "a rate",
    "stars": "a star rating (like 3.5星)",
    "duration": "a duration (like 14.73秒 or 00:01:23)",
    "timestamp": "a date and time (like 2026年03月24日17时33分05秒)",
    "date": "a date (like 2026-06-25)",
    "bool": "yes or no",
}

_PANDAS_NULL = {
    "VARCHAR": "string",
    "BIGINT": "Int64",
    "DOUBLE": "Float64",
    "BOOLEAN": "boolean",
    "TIMESTAMPTZ": f"datetime64[ns, {TZ_NAME}]",
    "DATE": "datetime64[s]",
}


def _convert_column(column: Column, raw: pd.Series, salt: bytes) -> pd.DataFrame:
    name = column.name
    kind = column.kind
    if kind == "count":
        exact = parse._digit_counts(raw)
        if exact is not None:  # plain digits (the usual column): what parse_counts gives
            frame = pd.DataFrame({name: pd.Series(exact, index=raw.index, name=raw.name)})
            if column.capped:
                n = len(raw)
                frame[f"{name}_is_capped"] = pd.arrays.BooleanArray(
                    np.zeros(n, bool), np.zeros(n, bool)
                )
                frame[f"{name}_upper"] = pd.arrays.IntegerArray(
                    np.zeros(n, "int64"), np.ones(n, bool)
                )
            return frame
        counts = parse.parse_counts(raw)
        frame = pd.DataFrame({name: counts["value"]})
        if column.capped:
            frame[f"{name}_is_capped"] = counts["is_capped"]
            frame[f"{name}_upper"] = counts["upper"]
        else:  # a bound or a range where an exact count is expected cannot be stored silently
            inexact = counts["is_capped"].fillna(False).astype(bool) | counts["upper"].notna()
            if inexact.any():
                frame[name] = frame[name].mask(inexact)
        return frame
    converters: dict[str, Callable[[pd.Series], pd.Series]] = {
        "text": parse.parse_text,
        "id": parse.parse_id,
        "pii": lambda s: hash_personal(parse.parse_id(s), salt),
        "number": parse.parse_number,
        "rate": lambda s: parse.parse_rate(s, bare="fraction"),
        "rate_percent": lambda s: parse.parse_rate(s, bare="percent"),
        "rate_hundredth": lambda s: parse.parse_rate(s, bare="hundredth"),
        "stars": parse.parse_stars,
        "duration": parse.parse_duration_seconds,
        "timestamp": lambda s: parse.parse_timestamp(s, numeric=column.numeric),
        "date": lambda s: _as_date(parse.parse_date(s, numeric=column.numeric)),
        "bool": parse.parse_bool,
    }
    return pd.DataFrame({name: converters[kind](raw)})


def _as_date(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values.astype("object"), errors="coerce").astype("datetime64[s]")


def hash_personal(values: pd.Series, salt: bytes) -> pd.Series:
    """SHA-256 of salt + value, hex; NA stays NA. The plain value never reaches the warehouse."""
    import hashlib

    def one(value: Any) -> Any:
        if value is None or value is pd.NA:
            return pd.NA
        return hashlib.sha256(salt + str(value).encode("utf-8")).hexdigest()

    return values.astype("object").map(one).astype("string")


def _norm(label: str) -> str:
    return "".join(str(label).split()).lower().replace("（", "(").replace("）", ")")


@dataclass(frozen=True)
class Detection:
    spec: ReportSpec
    table_index: int
    header_index: int
    mapping: dict[str, str]
    missing: list[Column]


def detect(
    tables_heads: Iterable[list[list[Any]]], specs: Iterable[ReportSpec]
) -> Detection | None:
    """Find the report type and header row: the (table, row, spec) whose labels best match."""
    from ingest.files import header_labels

    specs = list(specs)
    best: tuple[float, Detection] | None = None
    for table_index, head in enumerate(tables_heads):
        for header_index, row in enumerate(head):
            labels = header_labels(row)
            for spec in specs:
                score = spec.score(labels)
                if score <= 0:
                    continue
                mapping, missing = spec.match(labels)
                rank = score - 0.01 * len(missing)
                if best is None or rank > best[0]:
                    best = (rank, Detection(spec, table_index, header_index, mapping, missing))
    return None if best is None else best[1]
