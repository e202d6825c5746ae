"""The fast path of CSV ingest: a chunk of CSV cells (text, as pyarrow read them) is typed by one
DuckDB query, vectorised and on all of DuckDB's threads, instead of column by column in pandas.

The query knows only the forms that most cells of the exports take, each written so that it
gives exactly what `ingest.parse` gives for that form:

- NULL: a cell that is exactly a NULL token ("", "-", "--", "None" …, see `parse.NULL_TOKENS`);
- counts: 1 to 15 ASCII digits (no sign, comma, unit or space);
- numbers, rates, star ratings, durations: plain decimals (at most 9 digits before the point
  and 6 after), "28.64%", "3.5星", "14.73秒";
- timestamps and dates: "2026-06-25", "2026/06/25", "2026年06月25日", each with or without a
  zero-padded time ("16:41", "16:41:25", "16时41分25秒"), years 1992–2199 (China time has had no
  summer time since 1991: the offset is always +08:00);
- text and ids: any cell without leading or trailing blanks, and (text) without anything that
  may be a phone or id number (those are masked by `ingest.personal`).

A cell in any other form is not "unreadable" here: the query only says it does not know it, and
the whole chunk is then typed by `ReportSpec.convert`, the path that knows every form and says
what is wrong with a cell (file, row, column, value) exactly as before. So the fast path
changes how fast a file is typed, never what it becomes.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from ingest import parse, personal
from ingest.base import Column, ReportSpec

#: kinds the query types (a report with another kind, e.g. `pii` or `bool`, takes the old path)
KINDS = frozenset(
    {
        "text",
        "id",
        "count",
        "number",
        "rate",
        "rate_percent",
        "rate_hundredth",
        "stars",
        "duration",
        "timestamp",
        "date",
    }
)

_DECIMAL = r"[0-9]{1,9}(\.[0-9]{1,6})?"
#: rates and durations are rounded (to 10 and 9 decimals): below 1e5 and 1e6 the scaled value
#: stays under 2**52, where numpy's round-half-even and DuckDB's round-half-away never differ
_RATE_DECIMAL = r"[0-9]{1,5}(\.[0-9]{1,6})?"
_SECONDS_DECIMAL = r"[0-9]{1,6}(\.[0-9]{1,6})?"
_YEAR = "(199[2-9]|2[01][0-9][0-9])"
_STAMP = (
    rf"{_YEAR}-[0-9]{{2}}-[0-9]{{2}}( [0-9]{{2}}:[0-9]{{2}}(:[0-9]{{2}})?)?"
    rf"|{_YEAR}/[0-9]{{2}}/[0-9]{{2}}( [0-9]{{2}}:[0-9]{{2}}(:[0-9]{{2}})?)?"
    rf"|{_YEAR}年[0-9]{{2}}月[0-9]{{2}}日([0-9]{{2}}时[0-9]{{2}}分[0-9]{{2}}秒"
    r"| [0-9]{2}:[0-9]{2}(:[0-9]{2})?)?"
)
_STAMP_FORMATS = [
    f"%Y{sep}%m{sep2}%d{end}{time}"
    for sep, sep2, end in (("-", "-", ""), ("/", "/", ""), ("年", "月", "日"))
    for time in ("", " %H:%M", " %H:%M:%S")
] + ["%Y年%m月%d日%H时%M分%S秒"]
_RATE_DIVISOR = {"rate": 1.0, "rate_percent": 100.0, "rate_hundredth": 10000.0}


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _re_class(chars: str) -> str:
    """An RE2 character class of `chars` (each written as \\x{…})."""
    return "[" + "".join(f"\\x{{{ord(c):x}}}" for c in chars) + "]"


_EDGE = _re_class(parse._TRIM)
_SYMBOL_TOKENS = sorted(t for t in parse.NULL_TOKENS if not any(c.isalpha() for c in t))
_WORD_TOKENS = sorted(t for t in parse.NULL_TOKENS if any(c.isalpha() for c in t))


def _in(tokens: list[str]) -> str:
    return "(" + ", ".join(map(_lit, tokens)) + ")"


#: the SQL macros, one per kind: each gives the typed value of a text cell, or NULL when the cell
#: is a NULL token or in a form they do not know (`nm_null` tells the two apart)
MACROS = {
    # "nan", "None", "N/A" … in any case: no other character lowercases to one of theirs
    "nm_null(c)": f"c in {_in(_SYMBOL_TOKENS)} or (length(c) between 3 and 4 "
    f"and lower(c) in {_in(_WORD_TOKENS)})",
    "nm_text(c)": f"case when nm_null(c) or regexp_matches(c, "
    f"{_lit(f'^{_EDGE}|{_EDGE}$|' + personal._MAYBE)}) then null else c end",
    "nm_id(c)": f"case when nm_null(c) or regexp_matches(c, {_lit(f'^{_EDGE}|{_EDGE}$')}) "
    "then null else c end",
    "nm_count(c)": "case when regexp_full_match(c, '[0-9]{1,15}') then cast(c as bigint) end",
    "nm_number(c)": f"case when regexp_full_match(c, {_lit(_DECIMAL)}) then cast(c as double) end",
    "nm_rate(c, divisor)": f"case when regexp_full_match(c, {_lit(_RATE_DECIMAL)}) "
    "then round(cast(c as double) / divisor, 10) "
    f"when regexp_full_match(c, {_lit(_RATE_DECIMAL + '%')}) "
    "then round(cast(rtrim(c, '%') as double) / 100.0, 10) end",
    "nm_stars(c)": f"case when regexp_full_match(c, {_lit(_DECIMAL)}) then cast(c as double) "
    f"when regexp_full_match(c, {_lit(_DECIMAL + '星')}) "
    "then cast(replace(c, '星', '') as double) end",
    "nm_seconds(c)": f"case when regexp_full_match(c, {_lit(_SECONDS_DECIMAL)}) "
    "then round(cast(c as double), 9) "
    f"when regexp_full_match(c, {_lit(_SECONDS_DECIMAL + '秒')}) "
    "then round(cast(replace(c, '秒', '') as double), 9) end",
    # wall-clock China time: +08:00 in every year the pattern takes (no summer time since 1991)
    "nm_local(c)": f"case when regexp_full_match(c, {_lit(_STAMP)}) "
    f"then try_strptime(c, [{', '.join(map(_lit, _STAMP_FORMATS))}]) end",
    "nm_timestamp(c)": "to_timestamp(epoch(nm_local(c)) - 28800)",
    "nm_date(c)": "cast(nm_local(c) as date)",
}


def install(duck) -> None:
    """Create the macros (temporary: on this connection) once."""
    for head, body in MACROS.items():
        duck.execute(f"create or replace temp macro {head} as ({body})")


def _value(column: Column, c: str) -> str:
    """SQL of the typed value of cell `c` (NULL where the query does not know the form)."""
    kind = column.kind
    if kind in _RATE_DIVISOR:
        return f"nm_rate({c}, {_RATE_DIVISOR[kind]!r})"
    name = {"duration": "seconds"}.get(kind, kind)
    if f"nm_{name}(c)" not in MACROS:
        raise ValueError(f"the fast path does not type {kind!r}")
    return f"nm_{name}({c})"


def supported(spec: ReportSpec, mapping: dict[str, str], labels: list[str]) -> bool:
    """True when every mapped column is of a kind the query types and the file has no column
    the report does not know (those go, raw, to `_extra`: the old path writes them)."""
    by_name = {c.name: c for c in spec.columns}
    if any(by_name[name].kind not in KINDS for name in mapping.values()):
        return False
    return all(label in mapping for label in labels)


def query(spec: ReportSpec, mapping: dict[str, str], where: str = "_known") -> str:
    """The SELECT over `_cells` (the chunk's text columns and `_row_number`) giving the typed
    columns and `_row_number` of the rows whose every cell is in a form the macros know
    (`where="not _known"`: the others)."""
    by_name = {c.name: c for c in spec.columns}
    inner, outer, known = [], [], []
    for i, (label, name) in enumerate(mapping.items()):
        column = by_name[name]
        c = '"' + label.replace('"', '""') + '"'
        inner.append(f"{_value(column, c)} as v{i}, {c} as r{i}")
        outer.append(f'v{i} as "{name}"')
        if column.capped:
            outer.append(f'case when v{i} is not null then false end as "{name}_is_capped"')
            outer.append(f'null::bigint as "{name}_upper"')
        known.append(
            f"v{i} is not null" if column.not_null else f"(v{i} is not null or nm_null(r{i}))"
        )
    return (
        "select "
        + ", ".join([*outer, "_row_number"])
        + " from (select "
        + ", ".join([*inner, "_row_number"])
        + ", "
        + (" and ".join(known) or "true")
        + " as _known from _cells) where "
        + where
    )


def insert_known(
    duck: duckdb.DuckDBPyConnection,
    spec: ReportSpec,
    mapping: dict[str, str],
    cells: pa.Table,
    table: str,
    constants: str,
) -> list[int]:
    """Insert the chunk's rows the macros type into `table` (with the lineage `constants`), on
    DuckDB's threads, in one statement. Returns the row numbers of the rows they did not type
    (to be typed the old way), in order."""
    source = duck.from_arrow(cells)  # a relation: not kept after this chunk, as a view would be
    sql = f"insert into {table} by name select *, {constants} from ({query(spec, mapping)})"
    # DuckDB runs a statement of a relation once, when it is made; its result is kept
    inserted = source.query("_cells", sql).fetchall()[0][0]
    if inserted == cells.num_rows:
        return []
    rest = source.query("_cells", query(spec, mapping, "not _known")).fetchall()
    return sorted(row[-1] for row in rest)
