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


def _regex_extent(data: bytes) -> tuple[int, int]:
    """The extent as the regular expression and sets found it before `_ref_extent`."""
    columns: set[bytes] = set()
    rows: set[bytes] = set()
    files._add_refs(files._ANY_REF.findall(data), columns, rows)
    return max(map(int, rows), default=0), max(map(files._column_number, columns), default=0)


def test_ref_extent_is_the_regex_extent():
    import random

    rng = random.Random(20261205)
    parts = [b'r="', b"A", b"Z", b"XFD", b"ABCD", b"ABCDE", b"0", b"7", b"123456789"]
    parts += [b"1234567890", b'"', b"<", b" ", b"r", b"=", b"a", b'<c r="', b"\xff", b"\xe4\xb8"]
    cases = [b"", b"r", b'r="', b'r="A1"', b'r="A0001"', b'r="ZZ9"r="AAA1"', b'xr="XFD1048576"']
    cases += [b"".join(rng.choice(parts) for _ in range(rng.randint(0, 40))) for _ in range(3000)]
    for data in cases:
        assert files._ref_extent(data) == _regex_extent(data), data


def test_sheet_text_columns_take_the_csv_str_dtype():
    rows = [["header", "n", "mixed", "blank"]]
    rows += [["a", 1.0, "x", ""], ["b", 2.5, 3.0, ""], [None, 3.0, "y", ""], ["c", 4.0, "z", ""]]
    table = files.Table(name="sheet", head=rows[:1], _rows=rows)
    (frame,) = list(table.frames(0))
    assert isinstance(frame["header"].dtype, pd.StringDtype)
    assert isinstance(frame["blank"].dtype, pd.StringDtype)
    assert frame["n"].dtype == object and frame["mixed"].dtype == object
    assert frame["header"].tolist()[:2] == ["a", "b"] and pd.isna(frame["header"].iloc[2])
    assert frame["n"].tolist() == [1.0, 2.5, 3.0, 4.0]
    assert frame["_row_number"].tolist() == [2, 3, 4, 5]


def test_cell_limit_in_a_sheet_text_column():
    rows = [["标题", "播放量"], ["短", 1.0], ["长" * 12, 2.0]]
    table = files.Table(name="sheet", head=rows[:1], _rows=rows, limits=Limits(max_cell_chars=10))
    with pytest.raises(FileFormatError, match="row 3, column 「标题」: value '长长长"):
        list(table.frames(0))


@pytest.mark.parametrize("capped", [False, True])
def test_plain_digit_counts_as_parse_counts_gives_them(capped):
    from ingest import base, parse

    column = base.Column("views", ("播放量",), "count", capped=capped)
    cells = pd.Series(["12", "0", "987654321012345"], index=[4, 5, 7], name="播放量")
    cells = cells.astype(files._CSV_STR)
    counts = parse.parse_counts(cells)
    expected = pd.DataFrame({"views": counts["value"]})
    if capped:
        expected["views_is_capped"] = counts["is_capped"]
        expected["views_upper"] = counts["upper"]
    pd.testing.assert_frame_equal(base._convert_column(column, cells, b"salt"), expected)
