"""The contract of the marts (``dbt_project/models/marts/*/_*__models.yml``: every model's
columns and data types) for the tests' fixtures, so a fixture mart has exactly the contract's
columns and types and cannot drift from it: a column the contract does not have is an error, a
column the fixture leaves out is NULL of its contract type."""

from __future__ import annotations

from functools import cache
from typing import Any

import pandas as pd
import yaml

from ops.dbt import DBT_DIR

MARTS_DIR = DBT_DIR / "models" / "marts"

#: contract data types as DuckDB names them
_DUCKDB_TYPES = {"text": "varchar", "double precision": "double"}
#: contract data types as pandas dtypes (DuckDB's ``.df()`` gives these)
_PANDAS_DTYPES = {
    "text": "object",
    "bigint": "Int64",
    "double precision": "float64",
    "boolean": "boolean",
    "date": "object",
    "timestamptz": "datetime64[us, Asia/Shanghai]",
    "timestamp with time zone": "datetime64[us, Asia/Shanghai]",
}


@cache
def _contracts() -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for path in sorted(MARTS_DIR.glob("*/_*__models.yml")):
        for model in yaml.safe_load(path.read_text("utf-8")).get("models", []):
            out[model["name"]] = {c["name"]: c["data_type"] for c in model.get("columns", [])}
    return out


def contract(model: str) -> dict[str, str]:
    """Column name → contract data type of mart `model`, in the contract's order."""
    try:
        return dict(_contracts()[model])
    except KeyError:
        raise KeyError(f"{model} has no contract under {MARTS_DIR}") from None


def _check(model: str, columns) -> dict[str, str]:
    columns_of = contract(model)
    unknown = [c for c in columns if c not in columns_of]
    if unknown:
        raise ValueError(f"{model}: columns not in its contract: {', '.join(unknown)}")
    return columns_of


def contract_frame(model: str, data: dict[str, list[Any]] | pd.DataFrame) -> pd.DataFrame:
    """A frame of mart `model` with every contract column in the contract's order, typed as
    DuckDB reads it back: the columns of `data`, the others NULL."""
    given = pd.DataFrame(data)
    columns_of = _check(model, given.columns)
    out = {}
    for name, data_type in columns_of.items():
        dtype = _PANDAS_DTYPES[data_type]
        if name in given.columns:
            values = given[name]
            if data_type in {"timestamptz", "timestamp with time zone"}:
                values = pd.to_datetime(values, utc=True).dt.tz_convert("Asia/Shanghai")
            out[name] = values.astype(dtype)
        else:
            out[name] = pd.Series([None] * len(given), dtype=dtype)
    return pd.DataFrame(out, index=range(len(given)))


def create_contract_table(con, model: str, frame: pd.DataFrame, schema: str = "marts") -> None:
    """Create `schema.model` on the DuckDB connection `con` with the contract's columns and
    types, holding the rows of `frame` (its columns cast; the contract's others NULL)."""
    columns_of = _check(model, frame.columns)
    select = ", ".join(
        f"cast({f'frame.{_quote(name)}' if name in frame.columns else 'null'} as "
        f"{_DUCKDB_TYPES.get(data_type, data_type)}) as {_quote(name)}"
        for name, data_type in columns_of.items()
    )
    source = frame if len(frame.columns) else pd.DataFrame({"_": range(len(frame))})
    con.register("frame", source)
    try:
        con.execute(f"create table {schema}.{model} as select {select} from frame")
    finally:
        con.unregister("frame")


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
