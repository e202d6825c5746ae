"""Open any export file as tables of cells: xlsx, legacy BIFF .xls, HTML saved as .xls, CSV/TSV
(UTF-8, UTF-8 with BOM, GBK/GB18030) and JSON/JSONL.

A table exposes its first rows (to find the header row) and then streams its data rows as pandas
DataFrames of raw cells, so that a 2-million-row CSV never sits in memory at once.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import gc
import io
import json
import operator
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ingest.limits import Limits, bound

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
    limits: Limits = field(default_factory=Limits, repr=False)

    def frames(self, header_index: int, chunk_rows: int | None = None) -> Iterator[pd.DataFrame]:
        """Data rows below the header row, as DataFrames whose columns are the header labels
        (object cells) plus `_row_number`, the row number a person sees in the file (1-based),
        in chunks of `chunk_rows` (default: `CSV_CHUNK_ROWS`, read when called). A row past
        the row limit or a cell over the cell limit is a FileFormatError naming it."""
        labels = header_labels(self.head[header_index])
        for chunk in self.chunks(header_index, chunk_rows):
            frame = chunk.frame
            check_frame(frame, labels, self.limits)
            yield frame

    def chunks(self, header_index: int, chunk_rows: int | None = None) -> Iterator[Chunk]:
        """The chunks `frames` gives, unchecked: each holds its DataFrame (made when asked for)
        and, for a CSV read by pyarrow, its cells as text (`Chunk.cells`)."""
        labels = header_labels(self.head[header_index])
        chunk_rows = chunk_rows or CSV_CHUNK_ROWS
        if self._rows is not None:
            frames = _frames_from_rows(self._rows, header_index, labels, chunk_rows)
            yield from map(Chunk, frames)
        elif self._csv is not None:
            yield from _chunks_from_csv(self._csv, header_index, labels, chunk_rows)


@dataclass
class Chunk:
    """One chunk of data rows: its DataFrame of raw cells and, for a CSV read by pyarrow, the
    same rows as an Arrow table of text cells plus `_row_number` (`cells`), for the checks
    that are faster on it."""

    frame: pd.DataFrame
    cells: pa.Table | None = None

    def __len__(self) -> int:
        return len(self.frame)


def _csv_chunk(table: pa.Table, first: int, offset: int) -> Chunk:
    """A chunk pyarrow read (made in the read-ahead thread)."""
    return Chunk(_arrow_frame(table, first, offset), _arrow_cells(table, first))


def check_cells(cells: pa.Table, labels: list[str], limits: Limits) -> bool:
    """True when an Arrow chunk surely passes `check_frame` (no row past the row limit, no cell
    longer in bytes, so none longer in characters, than the cell limit); False when only
    `check_frame` can tell."""
    if not cells.num_rows:
        return True
    last = cells.column("_row_number")[-1].as_py()
    if last > limits.max_rows + 1:
        return False
    for label in labels:
        longest = pc.max(pc.binary_length(cells.column(label))).as_py()
        if longest is not None and longest > limits.max_cell_chars:
            return False
    return True


def check_frame(frame: pd.DataFrame, labels: list[str], limits: Limits) -> None:
    """Raise FileFormatError for a row past `limits.max_rows` or a cell longer than
    `limits.max_cell_chars`, naming the row, the column and the start of the value."""
    if len(frame) and int(frame["_row_number"].iloc[-1]) > limits.max_rows + 1:
        raise FileFormatError(
            f"the table has more than {bound('max_rows', limits.max_rows)} rows; nothing "
            "loaded, nothing cut: split the export by date range, or raise the limit"
        )
    for label in labels:
        column = frame[label]
        if column.dtype == object:
            kind = pd.api.types.infer_dtype(column, skipna=True)
            if kind in _NO_TEXT:
                continue  # no str among the cells (numbers, dates: a sheet's typed cells)
            longest = max((len(v) for v in column if v.__class__ is str), default=0)
        elif isinstance(column.dtype, pd.StringDtype):
            longest = column.str.len().max()
            longest = 0 if pd.isna(longest) else int(longest)
        else:
            continue
        if longest > limits.max_cell_chars:
            lengths = column.map(lambda v: len(v) if isinstance(v, str) else 0)
            where = lengths.idxmax()
            raise oversized_cell(
                int(frame.loc[where, "_row_number"]), label, str(column.loc[where]), limits
            )


#: `infer_dtype` kinds of object columns that hold no str
_NO_TEXT = frozenset(
    {"empty", "floating", "integer", "mixed-integer-float", "boolean", "decimal", "complex"}
    | {"datetime", "datetime64", "date", "time", "timedelta", "timedelta64", "period"}
)


def oversized_cell(row: int, label: str, value: str, limits: Limits) -> FileFormatError:
    """The error for a cell over the cell limit."""
    return FileFormatError(
        f"row {row}, column 「{label}」: value {value[:40]!r}… holds {len(value):,} characters, "
        f"more than the limit of {bound('max_cell_chars', limits.max_cell_chars)}; no export "
        "holds a cell this long: check the file, or raise the limit"
    )


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
        if all(r.__class__ is list and len(r) == width for r in part):
            cells = part  # a sheet's rows, all as wide as the header (the usual case)
        else:
            cells = [(list(r) + [None] * width)[:width] for r in part]
        frame = pd.DataFrame(cells, columns=labels, dtype=object)
        first = header_index + 2 + start
        frame["_row_number"] = range(first, first + len(frame))
        frame = frame[~_blank_rows(frame[labels])]
        if len(frame):
            yield _text_columns(frame, labels)


def _text_columns(frame: pd.DataFrame, labels: list[str]) -> pd.DataFrame:
    """The columns whose every cell is a str (or missing) with the str dtype a CSV's cells
    have: the parsers and checks take the same values by their Arrow paths instead of one
    Python call per cell. Columns of numbers, dates or mixed cells stay as they are."""
    text = [
        label
        for label in dict.fromkeys(labels)
        if frame[label].dtype == object
        and pd.api.types.infer_dtype(frame[label], skipna=True) == "string"
    ]
    if text:
        frame = frame.astype(dict.fromkeys(text, _CSV_STR))
    return frame


def _blank_rows(frame: pd.DataFrame) -> pd.Series:
    """Rows whose every cell is missing or blank text. Only a row whose first cell is blank
    can be: the other columns are looked at on those rows only."""
    if frame.shape[1] == 0 or not len(frame):
        return _blank_cells(frame).all(axis=1)
    blank = _blank_cells(frame.iloc[:, :1]).iloc[:, 0].to_numpy(dtype=bool)
    if blank.any():
        blank[blank] = _blank_cells(frame[blank]).all(axis=1).to_numpy(dtype=bool)
    return pd.Series(blank, index=frame.index)


def _blank_cells(frame: pd.DataFrame) -> pd.DataFrame:
    as_text = frame.astype("string").fillna("").apply(lambda col: col.str.strip())
    return as_text == ""


def _chunks_from_csv(
    spec: dict[str, Any], header_index: int, labels: list[str], chunk_rows: int
) -> Iterator[Chunk]:
    """CSV data rows in chunks of exactly `chunk_rows` records (the last one shorter).

    The fast path streams the file with pyarrow. A file it cannot take as it is (an empty line
    or another row with another number of cells; bytes that are not valid in the file's
    encoding) is read with pandas from the first record not yet handed out, so every file gets
    the cells, row numbers and error messages of the pandas reader."""
    done = 0  # records handed out, in whole chunks
    try:
        chunks = _arrow_chunks(spec, header_index, labels, chunk_rows)
        for chunk, records in _read_ahead(chunks):
            done += records
            if len(chunk):
                yield chunk
        return
    except (pa.ArrowException, UnicodeError):
        pass  # the pandas reader takes over (and says what is wrong, if anything)
    for frame in _pandas_chunks(spec, header_index, labels, chunk_rows, skip=done):
        yield Chunk(frame)


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
            yield _csv_chunk(table.slice(0, chunk_rows), first, first - start), chunk_rows
            first += chunk_rows
            rest = table.slice(chunk_rows)
            pending, rows = rest.to_batches(), rest.num_rows
    if rows:
        yield _csv_chunk(pa.Table.from_batches(pending), first, first - start), rows


def _blank(table: pa.Table) -> pa.Array | None:
    """Which rows are blank (every cell ""), or None when none can be."""
    blank = None
    if table.num_columns and pc.any(pc.equal(table.column(0), "")).as_py():
        for column in table.columns:  # only then can a row be blank
            empty = pc.equal(column, "")
            blank = empty if blank is None else pc.and_(blank, empty)
    return blank


def _arrow_cells(table: pa.Table, first: int) -> pa.Table:
    """One chunk's text cells (blank rows dropped) with `_row_number` from `first`."""
    numbers = pa.array(np.arange(first, first + table.num_rows, dtype=np.int64))
    cells = table.append_column("_row_number", numbers)
    blank = _blank(table)
    if blank is not None and pc.any(blank).as_py():
        cells = cells.filter(pc.invert(blank))
    return cells


def _arrow_frame(table: pa.Table, first: int, offset: int) -> pd.DataFrame:
    """One chunk as the pandas reader gives it (str columns, blank rows dropped), with row
    numbers from `first` and an index from `offset` (going on from chunk to chunk)."""
    blank = _blank(table)
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
        raise FileFormatError(_bad_bytes_reason(spec["path"], spec["encoding"], exc)) from exc
    except pd.errors.ParserError as exc:
        raise FileFormatError(f"the CSV is malformed near row {first}: {exc}") from exc


def _bad_bytes_reason(path: Path, encoding: str, exc: UnicodeDecodeError) -> str:
    """Where the first bytes that are not valid `encoding` sit: the real row (line) of the
    file, found by decoding it again block by block (the parser's error only knows its chunk)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    offset = lines = 0
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as bad:
                # the decoder's buffer may hold up to 3 bytes of the block before
                at = max(0, bad.start - len(bad.object) + len(block))
                lines += block.count(b"\n", 0, at)
                shown = block[at : at + 4]
                return (
                    f"row {lines + 1}: the bytes {shown!r} (byte {offset + at:,} of the file) "
                    f"are not valid {encoding} text ({bad.reason}); save the file again as UTF-8 "
                    "or GBK"
                )
            lines += block.count(b"\n")
            offset += len(block)
    return (
        f"bytes are not valid {encoding} text ({exc.reason}); save the file again as UTF-8 or GBK"
    )


def open_tables(path: Path, limits: Limits | None = None) -> list[Table]:
    """Open a file as tables, recognising the real format from its bytes, not its extension,
    within `limits` (default: `Limits()`): a file over a bound is a FileFormatError that
    names it, found before the file is read into memory."""
    limits = limits or Limits()
    with path.open("rb") as handle:
        start = handle.read(SNIFF_BYTES)
    if not start.strip():
        raise FileFormatError("the file is empty")
    if start[:4] == b"PK\x03\x04":
        tables = _open_xlsx(path, limits)
    elif start[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        _check_whole_size(path, limits, "legacy .xls workbook")
        tables = _open_xls(path, limits)
    else:
        encoding = _detect_encoding(start, path)
        text_start = start.decode(encoding, errors="ignore").lstrip("\ufeff").lstrip()
        if text_start[:1] in "{[":
            _check_whole_size(path, limits, "JSON file")
            tables = _open_json(path, encoding, limits)
        elif text_start[:1] == "<" and "<table" in text_start[:20000].lower():
            _check_whole_size(path, limits, "HTML file")
            tables = _open_html(path, encoding)
        else:
            tables = [_open_csv(path, encoding, start, limits)]
    for table in tables:
        table.limits = limits
        if table._rows is not None:
            _check_rows(table, limits)
    return tables


def _check_whole_size(path: Path, limits: Limits, what: str) -> None:
    size = path.stat().st_size
    if size > limits.max_sheet_bytes:
        raise FileFormatError(
            f"the {what} holds {size:,} bytes, more than the limit of "
            f"{bound('max_sheet_bytes', limits.max_sheet_bytes)} bytes read at once; nothing "
            "loaded, nothing cut: export a shorter date range, or raise the limit"
        )


def _check_rows(table: Table, limits: Limits) -> None:
    """A table held in memory: its widest row within the column limit, and (for the head, the
    rest is checked as it streams) no cell over the cell limit."""
    rows = table._rows or []
    width = max((len(r) for r in rows), default=0)
    if width > limits.max_columns:
        widest = next(i for i, r in enumerate(rows) if len(r) == width)
        raise _too_wide(table.name, widest + 1, width, limits)
    if len(rows) * width > limits.max_cells:
        raise _too_many_cells(table.name, len(rows), width, limits)


def _too_wide(
    name: str, row: int, width: int, limits: Limits, at_least: bool = False
) -> FileFormatError:
    return FileFormatError(
        f"{name}, row {row}: {'at least ' if at_least else ''}{width:,} columns, more than the "
        "limit of "
        f"{bound('max_columns', limits.max_columns)}; no export is this wide: check the file "
        "(a stray cell far to the right?), or raise the limit"
    )


def _too_many_cells(name: str, rows: int, width: int, limits: Limits) -> FileFormatError:
    return FileFormatError(
        f"{name}: {rows:,} rows x {width:,} columns = {rows * width:,} cells, more than the "
        f"limit of {bound('max_cells', limits.max_cells)} held in memory at once; nothing loaded,"
        " nothing cut: delete stray cells far below or to the right, export a shorter date "
        "range, or raise the limit"
    )


def _detect_encoding(start: bytes, path: Path) -> str:
    """UTF-8 (with or without BOM) or GB18030, from the first bytes. The sample may end inside
    a multi-byte character (a file with no line break, cut at SNIFF_BYTES): an incremental
    decoder keeps such an unfinished end aside instead of calling it an error, so a valid UTF-8
    file is never taken for GB18030."""
    if start.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    whole = len(start) < SNIFF_BYTES
    for encoding in ("utf-8", "gb18030"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(start, final=whole)
        except UnicodeDecodeError:
            continue
        return encoding
    try:
        start.decode("utf-8")
        where = ""
    except UnicodeDecodeError as bad:
        row = start.count(b"\n", 0, bad.start) + 1
        shown = start[bad.start : bad.start + 4]
        where = f"row {row}: the bytes {shown!r} (byte {bad.start:,} of the file): "
    raise FileFormatError(
        f"{where}the text is neither UTF-8 nor GBK/GB18030; save the file again as UTF-8 "
        "(CSV UTF-8 in Excel)"
    )


_CELL_REF = re.compile(rb"<(?:\w+:)?c\s[^>]*?\br=\"([A-Z]{1,4})([0-9]{1,9})\"")
#: every match of `_CELL_REF` holds one of this pattern's, with the same groups
_ANY_REF = re.compile(rb"r=\"([A-Z]{1,4})([0-9]{1,9})\"")


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _check_xlsx(path: Path, limits: Limits) -> None:
    """Look at every sheet of a workbook before it is read: its uncompressed size (what the
    zip says, and what it gives) and the last row and column of its cells, which is what the
    reader allocates (one cell at XFD1048576 would be 17 billion cells)."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # the reader says what is wrong
    with archive:
        for info in archive.infolist():
            name = info.filename
            is_sheet = name.startswith("xl/worksheets/") and name.endswith(".xml")
            if not (is_sheet or name == "xl/sharedStrings.xml"):
                continue
            shown = name.rsplit("/", 1)[-1]
            if info.file_size > limits.max_sheet_bytes:
                raise _sheet_too_big(shown, info.file_size, limits)
            if is_sheet:
                with _no_gc():  # a tuple per cell reference, each freed at once
                    _scan_sheet(archive, info, shown, limits)


def _sheet_too_big(name: str, size: int, limits: Limits) -> FileFormatError:
    return FileFormatError(
        f"the sheet part {name} holds {size:,} bytes uncompressed, more than the limit of "
        f"{bound('max_sheet_bytes', limits.max_sheet_bytes)}; nothing loaded, nothing cut: "
        "export a shorter date range (or save it as CSV), or raise the limit"
    )


_FIRST, _SECOND = operator.itemgetter(0), operator.itemgetter(1)


def _add_refs(found: list[tuple[bytes, bytes]], columns: set[bytes], rows: set[bytes]) -> None:
    """Add the (column letters, row digits) of cell references to the two sets."""
    columns.update(map(_FIRST, found))
    rows.update(map(_SECOND, found))


def _scan_sheet(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, limits: Limits) -> None:
    """Refuse a sheet whose last cell lies past the column or cell limit. A first pass reads
    every `r="A1"` attribute (a faster pattern, and more of them than cell references: its
    extent is never smaller); only when that is over a limit does the exact pass decide."""
    for pattern in (_ANY_REF, _CELL_REF):
        extent = _sheet_extent(archive, info, name, limits, pattern)
        if extent is None:
            return  # the reader says what is wrong
        last_row, last_column = extent
        if last_column <= limits.max_columns and last_row * last_column <= limits.max_cells:
            return
    sheet = name.removesuffix(".xml")
    if last_column > limits.max_columns:
        raise FileFormatError(
            f"{sheet} has a cell in column {last_column:,}, more than the limit of "
            f"{bound('max_columns', limits.max_columns)} columns; no export is this wide: delete "
            "the stray cells far to the right, or raise the limit"
        )
    raise _too_many_cells(sheet, last_row, last_column, limits)


#: what follows `r="` in a match of `_ANY_REF`
_REF_REST = rb'^(?P<c>[A-Z]{1,4})(?P<r>[0-9]{1,9})"'


def _ref_extent(data: bytes) -> tuple[int, int]:
    """(last row, last column) of the matches of `_ANY_REF` in `data`, by Arrow kernels: the
    text after each `r="` (those never overlap, nor lie inside a match) is matched with the
    rest of the pattern; no Python object per match."""
    pieces = pc.list_flatten(pc.split_pattern(pa.array([data], pa.large_binary()), b'r="'))
    found = pc.extract_regex(pieces.slice(1), _REF_REST)
    found = found.filter(pc.is_valid(found))
    if not len(found):
        return 0, 0
    digits = pc.struct_field(found, "r").cast(pa.large_string())
    last_row = pc.max(digits.cast(pa.int64())).as_py()
    letters = pc.struct_field(found, "c")
    lengths = pc.binary_length(letters)
    longest = letters.filter(pc.equal(lengths, pc.max(lengths)))
    # a longer run of letters is a later column; among runs as long, the later in A-Z order
    last = pc.max(longest.cast(pa.large_string())).as_py()
    return last_row, _column_number(last.encode())


def _sheet_extent(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    name: str,
    limits: Limits,
    pattern: re.Pattern[bytes],
) -> tuple[int, int] | None:
    """(last row, last column) of the references `pattern` finds in a sheet part, or None when
    the part cannot be read."""
    if pattern is _ANY_REF:
        return _fast_sheet_extent(archive, info, name, limits)
    last_row = last_column = 0
    columns: set[bytes] = set()
    rows: set[bytes] = set()
    try:
        for data in _sheet_chunks(archive, info, name, limits):
            _add_refs(pattern.findall(data), columns, rows)
            if len(rows) > 4096 or len(columns) > 4096:
                last_row = max(last_row, max(map(int, rows), default=0))
                last_column = max(last_column, max(map(_column_number, columns), default=0))
                rows, columns = set(), set()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return None
    last_row = max(last_row, max(map(int, rows), default=0))
    last_column = max(last_column, max(map(_column_number, columns), default=0))
    return last_row, last_column


def _sheet_chunks(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, limits: Limits
) -> Iterator[bytes]:
    """A sheet part in blocks of about 1 MiB, each cut before its last `<` so that no cell
    reference is split between blocks; the sheet-too-big error once the part passes the limit."""
    size = 0
    carry = b""
    with archive.open(info) as part:
        while block := part.read(1 << 20):
            size += len(block)
            if size > limits.max_sheet_bytes:
                raise _sheet_too_big(name, size, limits)
            data = carry + block
            cut = data.rfind(b"<")
            yield data[:cut]
            carry = data[cut:]
    if carry:
        yield carry


def _fast_sheet_extent(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, limits: Limits
) -> tuple[int, int] | None:
    """`_sheet_extent` for `_ANY_REF`: the same blocks, each scanned by `_ref_extent`."""
    last_row = last_column = 0
    try:
        for data in _sheet_chunks(archive, info, name, limits):
            rows, columns = _ref_extent(data)
            last_row, last_column = max(last_row, rows), max(last_column, columns)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return None
    return last_row, last_column


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    """Python's cyclic garbage collector paused (if it runs), for a block that makes many
    objects and frees none."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def _open_xlsx(path: Path, limits: Limits) -> list[Table]:
    from python_calamine import CalamineError, CalamineWorkbook

    _check_xlsx(path, limits)
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        tables = []
        for name in workbook.sheet_names:
            with _no_gc():  # a million new cells are not garbage: no collection pass
                rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
                rows = [r if r.__class__ is list else list(r) for r in rows]
            tables.append(Table(name=name, head=rows[:HEAD_ROWS], _rows=rows))
    except (CalamineError, zipfile.BadZipFile, ValueError, OSError) as exc:
        raise FileFormatError(
            f"the Excel workbook cannot be read ({exc}); it may be truncated: download it again"
        ) from exc
    return tables


def _open_xls(path: Path, limits: Limits) -> list[Table]:
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
        if sheet.ncols > limits.max_columns:
            raise _too_wide(sheet.name, 1, sheet.ncols, limits)
        if sheet.nrows * sheet.ncols > limits.max_cells:
            raise _too_many_cells(sheet.name, sheet.nrows, sheet.ncols, limits)
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


_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')


def json_depth(data: bytes) -> tuple[int, int]:
    """(deepest nesting of objects and lists, its line) of JSON bytes, strings left out,
    counted without parsing (so without recursion) and without a copy per byte."""
    bare = _JSON_STRING.sub(b'""', data)
    codes = np.frombuffer(bare, dtype=np.uint8)
    opens = (codes == ord("{")) | (codes == ord("["))
    where = np.flatnonzero(opens | (codes == ord("}")) | (codes == ord("]")))
    if not len(where):
        return 0, 1
    depth = np.cumsum(np.where(opens[where], 1, -1).astype(np.int32))
    deepest = int(depth.argmax())
    return int(depth[deepest]), bare.count(b"\n", 0, int(where[deepest])) + 1


def _open_json(path: Path, encoding: str, limits: Limits) -> list[Table]:
    data = path.read_bytes()
    depth, line = json_depth(data)
    if depth > limits.max_json_depth:
        raise FileFormatError(
            f"line {line}: the JSON nests objects and lists {depth:,} levels deep, more than "
            f"the limit of {bound('max_json_depth', limits.max_json_depth)}; no platform API "
            "answers like this: check the file, or raise the limit"
        )
    try:
        text = data.decode(encoding).lstrip("\ufeff")
    except UnicodeDecodeError as exc:
        raise FileFormatError(_bad_bytes_reason(path, encoding, exc)) from exc
    del data
    try:
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
    except RecursionError as exc:  # a limit raised beyond what Python's stack takes
        raise FileFormatError(
            "the JSON nests objects and lists too deep to read; check the file, or lower "
            "NEWMEDIA_MAX_JSON_DEPTH"
        ) from exc
    if not records:
        raise FileFormatError("the JSON file holds no records")
    seen: dict[str, None] = {}  # the keys in order of appearance
    for record in records:
        seen.update(dict.fromkeys(record))
        if len(seen) > limits.max_columns:
            raise _too_wide("the JSON records", 1, len(seen), limits, at_least=True)
    keys = list(seen)
    if len(records) * len(keys) > limits.max_cells:
        raise _too_many_cells("the JSON records", len(records), len(keys), limits)
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


def _open_csv(path: Path, encoding: str, start: bytes, limits: Limits) -> Table:
    whole = len(start) < SNIFF_BYTES
    if not whole:  # the sample ends inside a line: keep whole lines only
        end = start.rfind(b"\n")
        if end < 0:
            first = start.decode(encoding, errors="ignore")
            width = max(first.count(","), first.count("\t")) + 1
            if width > limits.max_columns:
                raise _too_wide("the CSV", 1, width, limits, at_least=True)
            raise FileFormatError(
                f"row 1 is longer than {SNIFF_BYTES:,} bytes; no export's header is this long: "
                "check the file"
            )
        start = start[: end + 1]
    text = start.decode(encoding, errors="ignore").lstrip("\ufeff")
    lines = text.splitlines()[: HEAD_ROWS + 1]
    sample = "\n".join(lines)
    sep = "\t" if sample.count("\t") > sample.count(",") else ","
    csv.field_size_limit(max(csv.field_size_limit(), SNIFF_BYTES + 1))
    try:
        head = [row for row in csv.reader(io.StringIO(sample), delimiter=sep)][:HEAD_ROWS]
    except csv.Error as exc:
        raise FileFormatError(f"the CSV is malformed in its first rows: {exc}") from exc
    for number, row in enumerate(head, start=1):
        if len(row) > limits.max_columns:
            raise _too_wide("the CSV", number, len(row), limits)
        for position, cell in enumerate(row):
            if len(cell) > limits.max_cell_chars:
                label = header_labels(head[0])[position] if position < len(head[0]) else position
                raise oversized_cell(number, str(label), cell, limits)
    return Table(
        name="csv",
        head=[[c if c != "" else None for c in row] for row in head],
        _csv={"path": path, "encoding": encoding, "sep": sep},
    )
