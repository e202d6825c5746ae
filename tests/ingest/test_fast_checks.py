"""The faster checks ingest runs on a CSV chunk's Arrow cells give what the frame checks give."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from ingest import files, nondata
from ingest.files import FileFormatError, check_cells, check_frame
from ingest.limits import Limits

LABELS = ["标题", "视频ID", "播放量"]


def chunk(rows: list[list[str]], first: int = 2) -> files.Chunk:
    table = pa.table(
        {label: pa.array([r[i] for r in rows], pa.large_string()) for i, label in enumerate(LABELS)}
    )
    return files._csv_chunk(table, first, first - 2)


def test_chunk_cells_are_the_frame_rows():
    c = chunk([["a", "1", "10"], ["", "", ""], ["b", "2", "-"]])
    assert len(c) == 2 == c.cells.num_rows
    assert c.cells.column("_row_number").to_pylist() == [2, 4]
    assert c.frame["_row_number"].tolist() == [2, 4]
    assert c.cells.column("标题").to_pylist() == c.frame["标题"].tolist()


@pytest.mark.parametrize(
    ("rows", "limits"),
    [
        ([["a" * 10, "1", "2"]], Limits(max_cell_chars=10)),
        ([["长" * 4, "1", "2"]], Limits(max_cell_chars=5)),  # 12 bytes, 4 characters
        ([["长" * 6, "1", "2"]], Limits(max_cell_chars=5)),
        ([["a", "1", "2"]] * 3, Limits(max_rows=2)),
        ([["a", "1", "2"]] * 3, Limits(max_rows=3)),
    ],
)
def test_check_cells_never_passes_what_check_frame_refuses(rows, limits):
    c = chunk(rows)
    try:
        check_frame(c.frame, LABELS, limits)
        refused = False
    except FileFormatError:
        refused = True
    if check_cells(c.cells, LABELS, limits):
        assert not refused


@pytest.mark.parametrize(
    "first",
    [
        "普通标题",
        "合计",
        "总计：",
        "注：数据来源于后台",
        "截至 2026-06-01",
        "平均值(30天)",
        "",
        "-",
    ],
)
def test_may_hold_is_the_test_split_starts_with(first):
    c = chunk([["视频", "id1", "1"], [first, "", ""], ["视频二", "合计", "2"]])
    kept, found = nondata.split(c.frame, LABELS, ["视频ID"])
    if not nondata.may_hold(c.cells, LABELS):
        assert found == [] and len(kept) == len(c.frame)


def test_blank_rows_as_before():
    frame = pd.DataFrame(
        [
            [None, " ", np.nan],
            ["a", None, None],
            ["\u3000", " ", ""],
            [" ", 1.0, None],
            [pd.NaT, None, " \t"],
            ["", "", "x"],
        ],
        columns=list("abc"),
        dtype=object,
    )
    before = (frame.astype("string").fillna("").apply(lambda c: c.str.strip()) == "").all(axis=1)
    assert files._blank_rows(frame).tolist() == before.tolist()


def test_cell_references_collected():
    columns: set[bytes] = set()
    rows: set[bytes] = set()
    data = b'<c r="A1" t="s"><v>0</v></c><x:c s="1" r="XFD1048576"/><c r="B2"/>'
    files._add_refs(files._CELL_REF.findall(data), columns, rows)
    assert columns == {b"A", b"XFD", b"B"} and rows == {b"1", b"1048576", b"2"}


def _sheet(tmp_path, body: bytes):
    import zipfile

    path = tmp_path / "book.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            b"<worksheet><sheetData>" + body + b"</sheetData></worksheet>",
        )
    archive = zipfile.ZipFile(path)
    return archive, archive.getinfo("xl/worksheets/sheet1.xml")


def test_sheet_scan_decides_by_cell_references_only(tmp_path):
    limits = Limits(max_columns=100)
    # an attribute r="…" outside a cell: the fast pass sees it, the exact pass does not
    archive, info = _sheet(tmp_path, b'<row r="1"><c r="A1"/></row><foo r="XFD9"/>')
    files._scan_sheet(archive, info, "sheet1.xml", limits)
    archive, info = _sheet(tmp_path, b'<row r="1"><c r="A1"/><x:c t="s" r="XFD9"/></row>')
    with pytest.raises(FileFormatError, match="sheet1 has a cell in column 16,384"):
        files._scan_sheet(archive, info, "sheet1.xml", limits)
    archive, info = _sheet(tmp_path, b'<c r="B1"/><c r="A3000"/>')
    with pytest.raises(FileFormatError, match="3,000 rows x 2 columns"):
        files._scan_sheet(archive, info, "sheet1.xml", Limits(max_cells=5000))
