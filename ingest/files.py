"""Open any export file as tables of cells: xlsx, legacy BIFF .xls, HTML saved as .xls, CSV/TSV
(UTF-8, UTF-8 with BOM, GBK/GB18030) and JSON/JSONL.

A table exposes its first rows (to find the header row) and then streams its data rows as pandas
DataFrames of raw cells, so that a 2-million-row CSV never sits in memory at once.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

HEAD_ROWS = 12
CSV_CHUNK_ROWS = 122_880  # one DuckDB row group: DuckDB appends whole row groups fastest
SNIFF_BYTES = 1 << 20
#: the cells of a CSV: the str dtype pandas' own reader gives
_CSV_STR = pd.StringDtype("pyarrow", na_value=np.nan)


class FileFormatError(Exception):
    """The file cannot be opened as a table: the message says why, for a marketer."""


@dataclass
class Table:
    """One table of a file: a sheet, an HTML table, a CSV or a JSON list of records."""

    name: str
    head: list[list[Any]]
    _rows: list[list[Any]] | None = None
    _csv: dict[str, Any] | None = field(default=None, repr=False)

    def frames(self, header_index: int, chunk_rows: int | None = None) -> Iterator[pd.DataFrame]:
        """Data rows below the header row, as DataFrames whose columns are the header labels
        (object cells) plus `_row_number`, the row number a person sees in the file (1-based),
        in chunks of `chunk_rows` (default: `CSV_CHUNK_ROWS`, read when called)."""
        labels = header_labels(self.head[header_index])
        chunk_rows = chunk_rows or CSV_CHUNK_ROWS
        if self._rows is not None:
            yield from _frames_from_rows(self._rows, header_index, labels, chunk_rows)
        elif self._csv is not None:
            yield from _frames_from_csv(self._csv, header_index, labels, chunk_rows)


def header_labels(row: list[Any]) -> list[str]:
    """Header cells as clean, unique labels (blank cells get `column_<n>`)."""
    labels: list[str] = []
    seen: dict[str, int] = {}
    for position, cell in enumerate(row, start=1):
        label = "" if cell is None else str(cell).replace("\ufeff", "").strip()
        if not label or label.lower() == "nan":
            label = f"column_{position}"
        if label in seen:
            seen[label] += 1
            label = f"{label}.{seen[label]}"
        else:
            seen[label] = 0
        labels.append(label)
    return labels


def _frames_from_rows(
    rows: list[list[Any]], header_index: int, labels: list[str], chunk_rows: int
) -> Iterator[pd.DataFrame]:
    width = len(labels)
    body = rows[header_index + 1 :]
    for start in range(0, max(len(body), 1), chunk_rows):
        part = body[start : start + chunk_rows]
        if not part:
            return
        cells = [(list(r) + [None] * width)[:width] for r in part]
        frame = pd.DataFrame(cells, columns=labels, dtype=object)
        first = header_index + 2 + start
        frame["_row_number"] = range(first, first + len(frame))
        frame = frame[~_blank_rows(frame[labels])]
        if len(frame):
            yield frame


def _blank_rows(frame: pd.DataFrame) -> pd.Series:
    as_text = frame.astype("string").fillna("").apply(lambda col: col.str.strip())
    return (as_text == "").all(axis=1)


def _frames_from_csv(
    spec: dict[str, Any], header_index: int, labels: list[str], chunk_rows: int
) -> Iterator[pd.DataFrame]:
    """CSV data rows in chunks of exactly `chunk_rows` records (the last one shorter).

    The fast path streams the file with pyarrow. A file it cannot take as it is (an empty line
    or another row with another number of cells; bytes that are not valid in the file's
    encoding) is read with pandas from the first record not yet handed out, so every file gets
    the cells, row numbers and error messages of the pandas reader."""
    done = 0  # records handed out, in whole chunks
    try:
        chunks = _arrow_chunks(spec, header_index, labels, chunk_rows)
        for frame, records in _read_ahead(chunks):
            done += records
            if len(frame):
                yield frame
        return
    except (pa.ArrowException, UnicodeError):
        pass  # the pandas reader takes over (and says what is wrong, if anything)
    yield from _pandas_chunks(spec, header_index, labels, chunk_rows, skip=done)


def _read_ahead(items: Iterator[Any]) -> Iterator[Any]:
    """The items of `items`, each produced in a thread while the caller works on the one
    before (pyarrow parses CSV without holding the GIL): at most two are alive at once. The
    producer's exceptions are raised here, in order; closing this generator stops it."""
    import queue
    import threading

    handoff: queue.SimpleQueue = queue.SimpleQueue()
    wanted = threading.Semaphore(1)  # the caller wants one more item
    stop = threading.Event()
    end = object()

    def produce() -> None:
        try:
            while True:
                while not wanted.acquire(timeout=0.1):
                    if stop.is_set():
                        return
                if stop.is_set():
                    return
                item = next(items, end)
                handoff.put((item, None))
                if item is end:
                    return
        except BaseException as exc:  # handed to the caller
            handoff.put((end, exc))

    worker = threading.Thread(target=produce, name="ingest-read-ahead", daemon=True)
    worker.start()
    try:
        while True:
            item, exc = handoff.get()
            if item is end:
                if exc is not None:
                    raise exc
                return
            wanted.release()  # read the next one while the caller works on this one
            yield item
    finally:
        stop.set()
        worker.join()


def _arrow_chunks(
    spec: dict[str, Any], header_index: int, labels: list[str], chunk_rows: int
) -> Iterator[tuple[pd.DataFrame, int]]:
    """(non-blank rows, records read) per chunk of `chunk_rows` records, streamed by pyarrow."""
    import pyarrow.csv as pa_csv

    encoding = spec["encoding"]
    reader = pa_csv.open_csv(
        spec["path"],
        read_options=pa_csv.ReadOptions(
            skip_rows=header_index + 1,
            column_names=labels,
            # the BOM sits on a skipped row; pyarrow checks that cells are valid UTF-8
            encoding="utf8" if encoding in ("utf-8", "utf-8-sig") else encoding,
            block_size=1 << 20,
        ),
        parse_options=pa_csv.ParseOptions(
            delimiter=spec["sep"],
            newlines_in_values=True,
            # an empty line is a row too: in a file of several columns it stops this reader
            ignore_empty_lines=False,
        ),
        convert_options=pa_csv.ConvertOptions(
            column_types=dict.fromkeys(labels, pa.large_string()),
            strings_can_be_null=False,
        ),
    )
    start = first = header_index + 2
    pending: list[pa.RecordBatch] = []
    rows = 0
    for batch in reader:
        pending.append(batch)
        rows += batch.num_rows
        while rows >= chunk_rows:
            table = pa.Table.from_batches(pending)
            yield _arrow_frame(table.slice(0, chunk_rows), first, first - start), chunk_rows
            first += chunk_rows
            rest = table.slice(chunk_rows)
            pending, rows = rest.to_batches(), rest.num_rows
    if rows:
        yield _arrow_frame(pa.Table.from_batches(pending), first, first - start), rows


def _arrow_frame(table: pa.Table, first: int, offset: int) -> pd.DataFrame:
    """One chunk as the pandas reader gives it (str columns, blank rows dropped), with row
    numbers from `first` and an index from `offset` (going on from chunk to chunk)."""
    blank = None
    if table.num_columns and pc.any(pc.equal(table.column(0), "")).as_py():
        for column in table.columns:  # only then can a row be blank
            empty = pc.equal(column, "")
            blank = empty if blank is None else pc.and_(blank, empty)
    frame = table.to_pandas(types_mapper={pa.large_string(): _CSV_STR}.get)
    frame.index = pd.RangeIndex(offset, offset + len(frame))
    frame["_row_number"] = range(first, first + len(frame))
    if blank is not None and pc.any(blank).as_py():
        frame = frame[~blank.to_numpy(zero_copy_only=False)]
    return frame


def _pandas_chunks(
    spec: dict[str, Any], header_index: int, labels: list[str], chunk_rows: int, skip: int = 0
) -> Iterator[pd.DataFrame]:
    """The pandas reader, from the record after the first `skip` (a multiple of chunk_rows)."""
    reader = pd.read_csv(
        spec["path"],
        encoding=spec["encoding"],
        sep=spec["sep"],
        header=None,
        skiprows=header_index + 1,
        dtype=str,
        keep_default_na=False,
        na_filter=False,
        chunksize=chunk_rows,
        engine="c",
        encoding_errors="strict",
        on_bad_lines="error",
        skip_blank_lines=False,  # a blank line is a row a person sees: keep the numbering
        names=labels,
        index_col=False,
    )
    first = header_index + 2
    try:
        for chunk in reader:
            chunk["_row_number"] = range(first, first + len(chunk))
            first += len(chunk)
            if skip > 0:
                skip -= len(chunk)
                continue
            chunk = chunk[~(chunk[labels] == "").all(axis=1)]
            if len(chunk):
                yield chunk
    except UnicodeDecodeError as exc:
        raise FileFormatError(
            f"bytes after row {first} are not valid {spec['encoding']} text ({exc.reason}); "
            "save the file again as UTF-8 or GBK"
        ) from exc
    except pd.errors.ParserError as exc:
        raise FileFormatError(f"the CSV is malformed near row {first}: {exc}") from exc


def open_tables(path: Path) -> list[Table]:
    """Open a file as tables, recognising the real format from its bytes, not its extension."""
    with path.open("rb") as handle:
        start = handle.read(SNIFF_BYTES)
    if not start.strip():
        raise FileFormatError("the file is empty")
    if start[:4] == b"PK\x03\x04":
        return _open_xlsx(path)
    if start[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return _open_xls(path)
    encoding = _detect_encoding(start, path)
    text_start = start.decode(encoding, errors="ignore").lstrip("\ufeff").lstrip()
    if text_start[:1] in "{[":
        return _open_json(path, encoding)
    if text_start[:1] == "<" and "<table" in text_start[:20000].lower():
        return _open_html(path, encoding)
    return [_open_csv(path, encoding, start)]


def _detect_encoding(start: bytes, path: Path) -> str:
    if start.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    sample = start
    if len(start) == SNIFF_BYTES:  # cut a possibly split multi-byte character at the end
        sample = start[: start.rfind(b"\n") + 1] or start
    for encoding in ("utf-8", "gb18030"):
        try:
            sample.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    raise FileFormatError(
        "the text is neither UTF-8 nor GBK/GB18030; save the file again as UTF-8 (CSV UTF-8 in Excel)"
    )


def _open_xlsx(path: Path) -> list[Table]:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        tables = []
        for name in workbook.sheet_names:
            rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
            rows = [list(r) for r in rows]
            tables.append(Table(name=name, head=rows[:HEAD_ROWS], _rows=rows))
    except (CalamineError, zipfile.BadZipFile, ValueError, OSError) as exc:
        raise FileFormatError(
            f"the Excel workbook cannot be read ({exc}); it may be truncated: download it again"
        ) from exc
    return tables


def _open_xls(path: Path) -> list[Table]:
    import xlrd

    try:
        book = xlrd.open_workbook(str(path))
    except xlrd.XLRDError as exc:
        raise FileFormatError(f"the legacy .xls workbook cannot be read ({exc})") from exc
    except Exception as exc:  # xlrd raises bare errors on truncated files
        raise FileFormatError(
            f"the legacy .xls workbook is damaged ({type(exc).__name__}: {exc}); download it again"
        ) from exc
    tables = []
    for sheet in book.sheets():
        rows = []
        for index in range(sheet.nrows):
            row = []
            for cell in sheet.row(index):
                if cell.ctype == xlrd.XL_CELL_DATE:
                    row.append(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
                elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    row.append(None)
                else:
                    row.append(cell.value)
            rows.append(row)
        tables.append(Table(name=sheet.name, head=rows[:HEAD_ROWS], _rows=rows))
    return tables


def _open_html(path: Path, encoding: str) -> list[Table]:
    from lxml import html

    document = html.fromstring(path.read_bytes().decode(encoding, errors="replace"))
    tables = []
    for number, table in enumerate(document.iter("table"), start=1):
        rows = []
        for tr in table.iter("tr"):
            cells = [" ".join(td.text_content().split()) for td in tr if td.tag in ("td", "th")]
            rows.append([c if c != "" else None for c in cells])
        if rows:
            tables.append(Table(name=f"table {number}", head=rows[:HEAD_ROWS], _rows=rows))
    if not tables:
        raise FileFormatError("the HTML file holds no table")
    return tables


def _open_json(path: Path, encoding: str) -> list[Table]:
    text = path.read_bytes().decode(encoding).lstrip("\ufeff")
    try:
        payloads = [json.loads(text)]
    except json.JSONDecodeError:
        try:
            payloads = [json.loads(line) for line in text.splitlines() if line.strip()]
        except json.JSONDecodeError as exc:
            raise FileFormatError(
                f"the JSON is malformed at line {exc.lineno}, column {exc.colno}: {exc.msg}"
            ) from exc
    records = _json_records(payloads)
    if not records:
        raise FileFormatError("the JSON file holds no records")
    keys: list[str] = []
    for record in records:
        for key in record:
            if key not in keys:
                keys.append(key)
    rows = [keys] + [[record.get(key) for key in keys] for record in records]
    return [Table(name="records", head=rows[:HEAD_ROWS], _rows=rows)]


def _json_records(payloads: list[Any]) -> list[dict[str, Any]]:
    """Records of an API response or a JSON/JSONL dump: the first list of objects found, each
    flattened (nested objects become "parent.child" keys; a nested list of objects such as
    getarticletotaldetail's `detail_list` becomes one record per element, the parent's fields
    repeated)."""
    found = _find_records(payloads)
    records: list[dict[str, Any]] = []
    for record in found:
        records.extend(_flatten(record))
    return records


def _find_records(payloads: list[Any]) -> list[dict[str, Any]]:
    if len(payloads) > 1 and all(isinstance(p, dict) for p in payloads):
        return payloads
    payload = payloads[0] if len(payloads) == 1 else payloads
    if isinstance(payload, list):
        return [p for p in payload if isinstance(p, dict)]
    if isinstance(payload, dict):
        for key in ("list", "behavior_data", "items", "data", "comments", "records"):
            value = payload.get(key)
            if isinstance(value, list):
                top = {k: v for k, v in payload.items() if not isinstance(v, (list, dict))}
                return [{**top, **p} for p in value if isinstance(p, dict)]
            if isinstance(value, dict):
                nested = _find_records([value])
                if nested:
                    return nested
        return [payload]
    return []


def _flatten(
    record: dict[str, Any], prefix: str = "", explode: bool = True
) -> list[dict[str, Any]]:
    flat: dict[str, Any] = {}
    exploded: list[dict[str, Any]] | None = None
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            for sub in _flatten(value, f"{name}.", explode=False):
                flat.update(sub)
        elif (
            explode
            and isinstance(value, list)
            and value
            and all(isinstance(v, dict) for v in value)
        ):
            if exploded is None:
                exploded = [
                    row for item in value for row in _flatten(item, f"{name}.", explode=False)
                ]
            else:  # a second list of objects is kept as JSON text, not multiplied out
                flat[name] = json.dumps(value, ensure_ascii=False)
        elif isinstance(value, list):
            flat[name] = json.dumps(value, ensure_ascii=False)
        else:
            flat[name] = value
    if not exploded:
        return [flat]
    return [{**flat, **row} for row in exploded]


def _open_csv(path: Path, encoding: str, start: bytes) -> Table:
    text = start.decode(encoding, errors="ignore").lstrip("\ufeff")
    lines = text.splitlines()[: HEAD_ROWS + 1]
    sample = "\n".join(lines)
    sep = "\t" if sample.count("\t") > sample.count(",") else ","
    head = [row for row in csv.reader(io.StringIO(sample), delimiter=sep)][:HEAD_ROWS]
    return Table(
        name="csv",
        head=[[c if c != "" else None for c in row] for row in head],
        _csv={"path": path, "encoding": encoding, "sep": sep},
    )
