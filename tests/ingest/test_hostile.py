"""Ingest never stops because of one file (issue 10): each hostile or broken file sits next to
good ones in one landing zone, ends `quarantined`, `unreadable` or `skipped` with a reason that
names file, row, column and value where there is one, and the good files load with their rows.
Every hostile file is made here, in tmp_path."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import duckdb
import pytest

from ingest import ingest_paths
from ingest.files import SNIFF_BYTES, json_depth
from ingest.limits import Limits
from ingest.loader import installation_salt
from tests.ingest.helpers import hashed, plain_leaks, read_warehouse

HEADER = "视频描述,视频ID,发布时间,完播率,平均播放时长,播放量,推荐,喜欢,评论量,分享量,关注量"
LABELS = HEADER.split(",")
ROOT = Path(__file__).resolve().parents[2]


def channel_row(n: int, title: str | None = None) -> list[object]:
    """The first six cells of a 视频号 row (the five counts after 播放量 follow)."""
    return [title or f"视频{n}", f"export/{n}", "2026/11/20", "28.64%", "14.73秒", 100 + n]


def channel_lines(first: int, count: int) -> list[str]:
    return [",".join(map(str, channel_row(n))) + ",2,2,1,0,0" for n in range(first, first + count)]


def good_files(zone: Path) -> dict[str, int]:
    """Two good exports (a CSV and a workbook) beside the hostile one: name → rows."""
    import openpyxl

    folder = zone / "wechat_channels" / "acct"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "视频号_2026-11-01.csv").write_text(
        "\n".join([HEADER, *channel_lines(1, 3)]) + "\n", encoding="utf-8"
    )
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(LABELS)
    for n in range(10, 15):
        sheet.append([*channel_row(n), 2, 2, 1, 0, 0])
    book.save(folder / "视频号_2026-11-02.xlsx")
    return {"视频号_2026-11-01.csv": 3, "视频号_2026-11-02.xlsx": 5}


def run(tmp_path: Path, **kwargs) -> dict[str, object]:
    """Ingest the landing zone; results by file name (all must be there)."""
    results = ingest_paths(
        [tmp_path / "exports"], warehouse=tmp_path / "w.duckdb", home=tmp_path / "home", **kwargs
    )
    return {Path(r.path).name: r for r in results}


def assert_good_loaded(results: dict, good: dict[str, int], tmp_path: Path) -> None:
    for name, rows in good.items():
        assert (results[name].status, results[name].rows) == ("loaded", rows), results[name]
    with read_warehouse(tmp_path / "w.duckdb") as con:
        found = con.execute(
            "select _file_name, count(*), min(views), max(views) "
            "from raw.wechat_channels__video_list where _file_name in (?, ?) group by 1 order by 1",
            sorted(good),
        ).fetchall()
    assert found == [
        ("视频号_2026-11-01.csv", 3, 101, 103),
        ("视频号_2026-11-02.xlsx", 5, 110, 114),
    ]


def hostile_path(tmp_path: Path, name: str) -> Path:
    path = tmp_path / "exports" / "wechat_channels" / "acct" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


# --------------------------------------------------------------------------- sizes and shapes


def test_a_sheet_with_one_cell_at_xfd1048576_is_quarantined_before_it_is_read(tmp_path):
    import openpyxl

    good = good_files(tmp_path / "exports")
    path = hostile_path(tmp_path, "视频号_2026-11-03.xlsx")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(LABELS)
    sheet.append([*channel_row(50), 2, 2, 1, 0, 0])
    sheet["XFD1048576"] = "x"
    book.save(path)
    results = run(tmp_path)
    hostile = results[path.name]
    assert hostile.status == "quarantined"
    assert "column 16,384" in hostile.reason and "NEWMEDIA_MAX_COLUMNS" in hostile.reason
    assert hostile.reason.startswith(path.name)
    assert_good_loaded(results, good, tmp_path)


def test_a_sheet_whose_cells_span_too_many_rows_is_quarantined(tmp_path, monkeypatch):
    """Within the column limit, a stray cell far below still makes rows x columns cells."""
    import openpyxl

    good = good_files(tmp_path / "exports")
    path = hostile_path(tmp_path, "视频号_2026-11-03.xlsx")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(LABELS)
    sheet["AZ1048576"] = "x"  # 52 columns x 1 048 576 rows
    book.save(path)
    results = run(tmp_path)
    assert results[path.name].status == "quarantined"
    assert "1,048,576 rows x 52 columns" in results[path.name].reason
    assert "NEWMEDIA_MAX_CELLS" in results[path.name].reason
    assert_good_loaded(results, good, tmp_path)


def _big_sheet_workbook(path: Path, rows: int) -> int:
    """A real workbook (header + `rows` rows of a wide comment) written as raw parts: returns
    the uncompressed size of its sheet."""
    cells = "".join(
        f'<c r="{chr(65 + i)}{{r}}" t="inlineStr"><is><t>{{v{i}}}</t></is></c>' for i in range(11)
    )
    header = "".join(
        f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{label}</t></is></c>'
        for i, label in enumerate(LABELS)
    )
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats'
            '-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
            'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml'
            '.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml'
            '/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets>'
            "</workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>"
        ),
    }
    size = 0
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:

            def put(text: str) -> None:
                nonlocal size
                data = text.encode()
                size += len(data)
                sheet.write(data)

            put(
                '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                f'spreadsheetml/2006/main"><sheetData><row r="1">{header}</row>'
            )
            filler = "好评" * 2000
            for r in range(2, rows + 2):
                values = [filler, f"export/{r}", "2026/11/20", "1%", "3秒", r, 1, 1, 1, 0, 0]
                body = cells.format(r=r, **{f"v{i}": v for i, v in enumerate(values)})
                put(f'<row r="{r}">{body}</row>')
            put("</sheetData></worksheet>")
    return size


def test_a_workbook_whose_sheet_unpacks_past_the_limit_is_quarantined(tmp_path):
    """The 8.5 MB workbook with a 248 MB sheet, scaled down: the bound is the sheet's size
    uncompressed, checked from the zip before the sheet is read; nothing is cut."""
    good = good_files(tmp_path / "exports")
    path = hostile_path(tmp_path, "视频号_2026-11-03.xlsx")
    size = _big_sheet_workbook(path, 400)
    assert size > 2 << 20 > path.stat().st_size * 10
    results = run(tmp_path, bounds=Limits(max_sheet_bytes=2 << 20))
    hostile = results[path.name]
    assert hostile.status == "quarantined"
    assert f"{size:,} bytes uncompressed" in hostile.reason
    assert "NEWMEDIA_MAX_SHEET_BYTES" in hostile.reason and "nothing cut" in hostile.reason
    assert_good_loaded(results, good, tmp_path)
    # under the limit the same workbook loads whole
    again = run(tmp_path, bounds=Limits(max_sheet_bytes=size + 1))
    assert (again[path.name].status, again[path.name].rows) == ("loaded", 400)


def test_a_csv_with_a_10_mb_cell_is_quarantined_naming_row_and_column(tmp_path):
    good = good_files(tmp_path / "exports")
    path = hostile_path(tmp_path, "视频号_2026-11-03.csv")
    huge = "长" * ((10 << 20) // 3)
    lines = [HEADER, *channel_lines(60, 1)]
    lines.append(f"{huge},export/x,2026/11/20,1%,3秒,5,1,1,1,0,0")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    results = run(tmp_path)
    hostile = results[path.name]
    assert hostile.status == "quarantined"
    assert "row 3, column 「视频描述」: value '长长长" in hostile.reason
    assert f"holds {len(huge):,} characters" in hostile.reason
    assert "NEWMEDIA_MAX_CELL_CHARS" in hostile.reason
    assert_good_loaded(results, good, tmp_path)


def test_a_10_mb_cell_on_the_second_line_is_quarantined_too(tmp_path):
    """The probe's file: the cell starts inside the first MiB read to find the header."""
    good = good_files(tmp_path / "exports")
    path = hostile_path(tmp_path, "视频号_2026-11-03.csv")
    huge = "x" * (10 << 20)
    path.write_text(f"{HEADER}\n{huge},export/x,2026/11/20,1%,3秒,5,1,1,1,0,0\n")
    results = run(tmp_path)
    assert results[path.name].status == "quarantined"
    assert "row 2, column 「视频描述」: value 'xxxx" in results[path.name].reason
    assert_good_loaded(results, good, tmp_path)


def test_a_csv_with_a_million_column_header_is_quarantined_not_cut(tmp_path):
    good = good_files(tmp_path / "exports")
    path = hostile_path(tmp_path, "视频号_2026-11-03.csv")
    wide = HEADER + "," + ",".join(f"c{i}" for i in range(1_000_000))
    path.write_text(wide + "\n" + channel_lines(70, 1)[0] + "\n", encoding="utf-8")
    assert path.stat().st_size > 7 << 20
    results = run(tmp_path)
    hostile = results[path.name]
    assert hostile.status == "quarantined"
    assert "row 1" in hostile.reason and "NEWMEDIA_MAX_COLUMNS" in hostile.reason
    assert_good_loaded(results, good, tmp_path)


def test_a_csv_header_wider_than_the_limit_within_the_first_mib(tmp_path):
    good = good_files(tmp_path / "exports")
    path = hostile_path(tmp_path, "视频号_2026-11-03.csv")
    path.write_text(HEADER + ",a,b\n" + channel_lines(70, 1)[0] + ",1,2\n", encoding="utf-8")
    results = run(tmp_path, bounds=Limits(max_columns=12))
    assert results[path.name].status == "quarantined"
    assert "row 1: 13 columns, more than the limit of 12" in results[path.name].reason
    assert_good_loaded(results, good, tmp_path)


def test_rows_past_the_row_limit_quarantine_the_file_whole(tmp_path):
    good = good_files(tmp_path / "exports")
    path = hostile_path(tmp_path, "视频号_2026-11-03.csv")
    path.write_text("\n".join([HEADER, *channel_lines(80, 9)]) + "\n", encoding="utf-8")
    results = run(tmp_path, bounds=Limits(max_rows=5))
    assert results[path.name].status == "quarantined"
    assert "more than 5 (NEWMEDIA_MAX_ROWS) rows" in results[path.name].reason
    assert_good_loaded(results, good, tmp_path)


def comment(n: int, content: str) -> dict[str, object]:
    return {
        "comment_id": f"74345678901234{n:05d}",
        "aweme_id": "7362436885719208845",
        "content": content,
        "create_time": 1793164751 + n,
        "like_count": str(n),
        "nickname": f"用户{n}",
    }


def test_a_json_file_nested_10000_levels_deep_is_quarantined(tmp_path):
    good = good_files(tmp_path / "exports")
    folder = tmp_path / "exports" / "douyin" / "dy_main"
    folder.mkdir(parents=True)
    deep = "[" * 10_000 + "]" * 10_000
    path = folder / "search_comments_2026-11-02.json"
    path.write_text(
        '{"comments": [' + json.dumps(comment(1, "好")) + ', {"content": ' + deep + "}]}",
        encoding="utf-8",
    )
    fine = folder / "search_comments_2026-11-03.json"
    fine.write_text(json.dumps({"comments": [comment(2, "好用")]}, ensure_ascii=False))
    results = run(tmp_path)
    assert results[path.name].status == "quarantined"
    assert "10,003 levels deep" in results[path.name].reason  # the list, its object, …
    assert "NEWMEDIA_MAX_JSON_DEPTH" in results[path.name].reason
    assert results[path.name].reason.startswith(path.name)
    assert (results[fine.name].status, results[fine.name].rows) == ("loaded", 1)
    assert_good_loaded(results, good, tmp_path)


def test_json_depth_leaves_brackets_inside_strings_out():
    assert json_depth(b'{"a": "[[[{{{", "b": [1, {"c": "\\"]]"}]}') == (3, 1)
    assert json_depth(b"[]") == (1, 1)
    assert json_depth(b'"x"') == (0, 1)


def test_valid_utf8_json_over_a_mib_without_a_newline_is_read_as_utf8(tmp_path):
    """The 1 MiB sample ends inside a character: still UTF-8, never GB18030 mojibake."""
    folder = tmp_path / "exports" / "douyin" / "dy_main"
    folder.mkdir(parents=True)
    path = folder / "search_comments_2026-11-02.json"
    texts = [f"第{n}条评论：包装好看，味道也在线" for n in range(8000)]
    for pad in range(4):
        records = [comment(n, t) for n, t in enumerate(texts)]
        records[0]["content"] += "好" * pad
        data = json.dumps(records, ensure_ascii=False).encode("utf-8")
        if 0x80 <= data[SNIFF_BYTES] <= 0xBF:  # the sample ends inside a character
            break
    else:
        raise AssertionError("no padding puts the cut inside a character")
    assert b"\n" not in data and len(data) > SNIFF_BYTES
    path.write_bytes(data)
    results = run(tmp_path)
    assert (results[path.name].status, results[path.name].rows) == ("loaded", 8000)
    with read_warehouse(tmp_path / "w.duckdb") as con:
        contents = [
            r[0] for r in con.execute("select content from raw.douyin__comments").fetchall()
        ]
    assert sorted(contents) == sorted(r["content"] for r in records)


@pytest.mark.parametrize("pad", [30, 0], ids=["after the first MiB", "within the first MiB"])
def test_an_encoding_error_names_the_real_row(tmp_path, pad):
    good = good_files(tmp_path / "exports")
    path = hostile_path(tmp_path, "视频号_2026-11-03.csv")
    lines = [
        HEADER,
        *(line.replace("视频", "视频" + "好" * pad) for line in channel_lines(1000, 12_001)),
    ]
    lines[12_001] = lines[12_001].replace("视频", "视\xff频")  # row 12 002 as a person sees it
    data = "\n".join(lines).encode("utf-8").replace(b"\xc3\xbf", b"\xff") + b"\n"
    assert (data.index(b"\xff") > SNIFF_BYTES) == (pad > 0)
    path.write_bytes(data)
    results = run(tmp_path)
    hostile = results[path.name]
    assert hostile.status == "quarantined"
    assert "row 12002: the bytes b'\\xff" in hostile.reason
    assert "save the file again as UTF-8" in hostile.reason
    assert_good_loaded(results, good, tmp_path)


# --------------------------------------------------------------------------- links and leftovers


def test_a_link_out_of_the_landing_zone_is_never_followed(tmp_path):
    good = good_files(tmp_path / "exports")
    secret = tmp_path / "elsewhere" / "secret.csv"
    secret.parent.mkdir()
    secret.write_text(f"{HEADER}\nTOP-SECRET-LINE\n", encoding="utf-8")
    secret.chmod(0o600)
    link = hostile_path(tmp_path, "视频号_2026-11-03.csv")
    link.symlink_to(secret)
    results = run(tmp_path)
    hostile = results[link.name]
    assert hostile.status == "quarantined"
    assert "outside the landing zone" in hostile.reason and "never followed" in hostile.reason
    assert "TOP-SECRET" not in hostile.reason
    archived = [p for p in (tmp_path / "home" / "archive").rglob("*") if p.is_file()]
    assert len(archived) == 2  # the good files only
    assert not any(b"TOP-SECRET" in p.read_bytes() for p in archived)
    with read_warehouse(tmp_path / "w.duckdb") as con:
        ledger = con.execute("select status, reason from raw._files where path = ?", [str(link)])
        assert ledger.fetchall() == [("quarantined", hostile.reason)]
    assert_good_loaded(results, good, tmp_path)


def test_loops_dangling_links_hidden_and_unfinished_files_each_get_a_status(tmp_path):
    good = good_files(tmp_path / "exports")
    folder = tmp_path / "exports" / "wechat_channels" / "acct"
    (folder / "loop_a.csv").symlink_to(folder / "loop_b.csv")
    (folder / "loop_b.csv").symlink_to(folder / "loop_a.csv")
    (folder / "dangling.csv").symlink_to(folder / "gone.csv")
    (folder / ".hidden_2026-11-04.csv").write_text(HEADER + "\n" + channel_lines(1, 1)[0])
    (folder / "视频号_2026-11-05.csv.part").write_bytes(b"half a dow")
    (folder / ".stash").mkdir()
    (folder / ".stash" / "视频号.csv").write_text(HEADER)
    inside = folder / "视频号_2026-11-01_link.csv"
    inside.symlink_to(folder / "视频号_2026-11-01.csv")  # a link inside the zone is fine
    results = run(tmp_path)
    assert results["loop_a.csv"].status == "unreadable"
    assert "link loop" in results["loop_a.csv"].reason
    assert results["dangling.csv"].status == "unreadable"
    assert "does not exist" in results["dangling.csv"].reason
    assert results[".hidden_2026-11-04.csv"].status == "skipped"
    assert "hidden file" in results[".hidden_2026-11-04.csv"].reason
    assert results["视频号_2026-11-05.csv.part"].status == "skipped"
    assert "unfinished download" in results["视频号_2026-11-05.csv.part"].reason
    assert results[".stash"].status == "skipped" and "hidden folder" in results[".stash"].reason
    assert results[inside.name].status == "duplicate"
    assert_good_loaded(results, good, tmp_path)


def test_the_cli_prints_a_line_for_each_skipped_entry(tmp_path):
    good_files(tmp_path / "exports")
    folder = tmp_path / "exports" / "wechat_channels" / "acct"
    (folder / ".hidden.csv").write_text(HEADER)
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWMEDIA_")}
    env.update(NEWMEDIA_HOME=str(tmp_path / "home"), NEWMEDIA_EXPORTS=str(tmp_path / "exports"))
    run_ = subprocess.run(
        [sys.executable, "-m", "newmedia.cli", "ingest"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,
    )
    out = " ".join((run_.stdout + run_.stderr).split())
    assert run_.returncode == 0, out
    assert "skipped" in out and ".hidden.csv" in out and "1 skipped" in out


def test_stale_part_files_of_a_killed_archive_copy_are_cleaned_up(tmp_path):
    good = good_files(tmp_path / "exports")
    stale = tmp_path / "home" / "archive" / "ab" / ".abcdef.csv.4242.part"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"half a copy")
    results = run(tmp_path)
    assert not stale.exists()
    assert_good_loaded(results, good, tmp_path)


# --------------------------------------------------------------------------- who can read


def test_archive_warehouse_and_home_are_owner_only(tmp_path):
    good_files(tmp_path / "exports")
    run(tmp_path)
    home = tmp_path / "home"
    mode = lambda p: stat.S_IMODE(p.stat().st_mode)  # noqa: E731
    assert mode(home) == 0o700
    assert mode(tmp_path / "w.duckdb") == 0o600
    archive = home / "archive"
    folders = [archive, *(p for p in archive.rglob("*") if p.is_dir())]
    files = [p for p in archive.rglob("*") if p.is_file()]
    assert len(files) == 2
    assert {mode(p) for p in folders} == {0o700}
    assert {mode(p) for p in files} == {0o600}


def test_personal_data_by_pattern_in_any_text_column(tmp_path):
    """Phone numbers under a header that is not an alias, inside 买家留言 (an unknown column,
    to `_extra`), and an id number inside a comment are hashed or masked before they land."""
    folder = tmp_path / "exports" / "douyin_shop" / "shop"
    folder.mkdir(parents=True)
    header = (
        "主订单编号,子订单编号,选购商品,商品ID,商品数量,订单提交时间,订单状态,订单应付金额,"
        "收件人手机号码,买家留言,收货人备用电话"
    )
    rows = [
        "6912345678901234567,6912345678901234568,面膜 13800001111 款,3601234567890123456,1,"
        "2026-11-02 10:00:00,已完成,59.9,13812345678,请打电话 +86 139-1234-5678 再送,"
        "010-88886666",
        "6912345678901234569,6912345678901234570,面霜,3601234567890123456,2,"
        "2026-11-02 11:00:00,已完成,99,138 1234 5679,身份证110101199003071233请开发票,",
    ]
    path = folder / "订单导出_2026-11-02.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    deep = tmp_path / "exports" / "douyin" / "dy_main"
    deep.mkdir(parents=True)
    comments = deep / "search_comments_2026-11-02.json"
    comments.write_text(
        json.dumps(
            [comment(1, "加我微信15912345678，身份证110101199003071233")], ensure_ascii=False
        ),
        encoding="utf-8",
    )
    results = run(tmp_path)
    assert results[path.name].status == "loaded" and results[path.name].rows == 2
    assert results[comments.name].status == "loaded"
    salt = installation_salt(tmp_path / "home")
    secrets = {
        "13812345678", "1391234", "5678 再", "13912345678", "138 1234 5679", "13812345679",
        "110101199003071233", "15912345678", "88886666", "13800001111",
    }  # fmt: skip
    with read_warehouse(tmp_path / "w.duckdb") as con:
        for table in ("raw.douyin_shop__orders", "raw.douyin__comments"):
            assert plain_leaks(con, table, secrets) == [], table
        orders = con.execute(
            "select recipient_phone, product_name, _extra from raw.douyin_shop__orders "
            "order by _row_number"
        ).fetchall()
        content = con.execute("select content from raw.douyin__comments").fetchone()[0]
    # 收件人手机号码 is read as the known phone column now, hashed like the others
    assert orders[0][0] == hashed(salt, "13812345678")
    assert orders[1][0] == hashed(salt, "138 1234 5679")
    assert orders[0][1] == f"面膜 [手机号#{hashed(salt, '13800001111')[:10]}] 款"
    first = json.loads(orders[0][2])
    assert first["买家留言"] == f"请打电话 [手机号#{hashed(salt, '13912345678')[:10]}] 再送"
    assert first["收货人备用电话"] == hashed(salt, "010-88886666")  # by its header
    second = json.loads(orders[1][2])
    assert (
        second["买家留言"] == f"身份证[身份证号#{hashed(salt, '110101199003071233')[:10]}]请开发票"
    )
    assert content == (
        f"加我微信[手机号#{hashed(salt, '15912345678')[:10]}]，"
        f"身份证[身份证号#{hashed(salt, '110101199003071233')[:10]}]"
    )


def test_ids_with_a_wrong_checksum_and_longer_digit_runs_are_not_masked():
    from ingest.personal import mask_text

    salt = b"s"
    assert mask_text("订单6912345678901234567", salt) == "订单6912345678901234567"
    assert mask_text("110101199003071234", salt) == "110101199003071234"  # bad check digit
    assert mask_text("12812345678", salt) == "12812345678"  # not a mobile prefix
    assert mask_text("13812345678", salt) == hashed(salt, "13812345678")


# --------------------------------------------------------------------------- waiting


HOLD = textwrap.dedent(
    """
    import sys, time, duckdb
    con = duckdb.connect(sys.argv[1])
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
    con.close()
    """
)


def test_ingest_waits_for_the_warehouse_while_another_process_holds_it(tmp_path, monkeypatch):
    good = good_files(tmp_path / "exports")
    duckdb.connect(str(tmp_path / "w.duckdb")).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(tmp_path / "w.duckdb"), "2"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        told: list[str] = []
        results = run(tmp_path, on_wait=told.append)
    finally:
        holder.wait(30)
    assert len(told) == 1 and "busy" in told[0] and "NEWMEDIA_LOCK_TIMEOUT" in told[0]
    assert f"PID {holder.pid}" in told[0]
    assert_good_loaded(results, good, tmp_path)


def test_ingest_gives_up_after_the_lock_timeout(tmp_path):
    good_files(tmp_path / "exports")
    duckdb.connect(str(tmp_path / "w.duckdb")).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(tmp_path / "w.duckdb"), "5"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        start = dt.datetime.now()
        with pytest.raises(duckdb.IOException, match="lock"):
            run(tmp_path, bounds=Limits(lock_timeout=0.5))
        assert (dt.datetime.now() - start).total_seconds() < 4
    finally:
        holder.kill()
        holder.wait(30)


LOCK = textwrap.dedent(
    """
    import fcntl, sys, time
    with open(sys.argv[1], "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        handle.write("pid held-by-test")
        handle.flush()
        print("held", flush=True)
        time.sleep(float(sys.argv[2]))
    """
)


def test_a_second_ingest_says_it_waits_for_the_first(tmp_path):
    good = good_files(tmp_path / "exports")
    (tmp_path / "home").mkdir()
    holder = subprocess.Popen(
        [sys.executable, "-c", LOCK, str(tmp_path / "home" / ".ingest.lock"), "1.5"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        told: list[str] = []
        results = run(tmp_path, on_wait=told.append)
    finally:
        holder.wait(30)
    assert len(told) == 1 and "another ingest is running" in told[0]
    assert "held-by-test" in told[0]
    assert_good_loaded(results, good, tmp_path)


# --------------------------------------------------------------------------- rows that are not data


def test_summary_note_and_footer_rows_are_left_out_and_said(tmp_path):
    good = good_files(tmp_path / "exports")
    path = hostile_path(tmp_path, "视频号_2026-11-03.csv")
    lines = [
        HEADER,
        *channel_lines(90, 2),
        "合计,,,,,183,4,4,2,0,0",
        "平均值,,,,,91.5,2,2,1,0,0",
        "注：数据统计截至2026-11-03 00:00,,,,,,,,,,",
        "合计,export/93,2026/11/20,1%,3秒,7,1,1,1,0,0",  # a video titled 合计: data
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    results = run(tmp_path)
    result = results[path.name]
    assert (result.status, result.rows) == ("loaded", 3)
    assert "3 row(s) that are not data" in result.reason
    assert "row 4 「合计」" in result.reason and "row 5 「平均值」" in result.reason
    assert "row 6 「注：数据统计截至" in result.reason
    with read_warehouse(tmp_path / "w.duckdb") as con:
        rows = con.execute(
            "select title, views, _row_number from raw.wechat_channels__video_list "
            "where _file_name = ? order by _row_number",
            [path.name],
        ).fetchall()
        ledger = con.execute("select reason from raw._files where path = ?", [str(path)])
        assert ledger.fetchone()[0] == result.reason
    assert rows == [("视频90", 190, 2), ("视频91", 191, 3), ("合计", 7, 7)]
    assert_good_loaded(results, good, tmp_path)


def test_a_summary_row_in_a_workbook_with_a_banner(tmp_path):
    import openpyxl

    good = good_files(tmp_path / "exports")
    path = hostile_path(tmp_path, "视频号_2026-11-03.xlsx")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["视频号助手 数据导出"])
    sheet.append(LABELS)
    sheet.append([*channel_row(95), 2, 2, 1, 0, 0])
    sheet.append(["总计：", None, None, None, None, 195, 2, 2, 1, 0, 0])
    sheet.append(["数据来源：视频号助手"])
    book.save(path)
    results = run(tmp_path)
    assert (results[path.name].status, results[path.name].rows) == ("loaded", 1)
    assert "2 row(s)" in results[path.name].reason
    assert_good_loaded(results, good, tmp_path)


def test_a_reader_waits_while_a_writer_holds_the_warehouse(tmp_path):
    """What reports, alerts, gates and the PostgreSQL mirror open: a read-only connection that
    waits for the writer (ingest, dbt) instead of failing at once with "Conflicting lock"."""
    from ingest.raw import connect_waiting

    warehouse = tmp_path / "w.duckdb"
    con = duckdb.connect(str(warehouse))
    con.execute("create table t as select 42 as answer")
    con.close()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(warehouse), "1.5"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        told: list[str] = []
        reader = connect_waiting(warehouse, read_only=True, timeout=60, on_wait=told.append)
        try:
            assert reader.execute("select answer from t").fetchone() == (42,)
        finally:
            reader.close()
    finally:
        holder.wait(30)
    assert len(told) == 1 and f"held by PID {holder.pid}" in told[0]


def test_json_records_with_ever_new_keys_are_quarantined_by_the_column_limit(tmp_path):
    """A million records with a key each would be a million x million table."""
    folder = tmp_path / "exports" / "douyin" / "dy_main"
    folder.mkdir(parents=True)
    path = folder / "search_comments_2026-11-02.json"
    records = [{**comment(n, "好"), f"k{n}": 1} for n in range(5_000)]
    path.write_text(json.dumps(records, ensure_ascii=False))
    good = good_files(tmp_path / "exports")
    results = run(tmp_path)
    assert results[path.name].status == "quarantined"
    assert "at least 2,001 columns" in results[path.name].reason
    assert_good_loaded(results, good, tmp_path)


class PanicException(BaseException):
    """What a Rust reader (python-calamine) raises when it panics: a BaseException."""


@pytest.mark.parametrize("error", [IndexError("list index out of range"), PanicException("boom")])
def test_a_reader_library_failing_on_one_file_quarantines_that_file_only(
    tmp_path, monkeypatch, error
):
    """A failure inside a reader library that ingest does not foresee (here made to happen in
    the HTML reader) names the file, and the files after it still load."""
    import ingest.files

    def fail(path, encoding):
        raise error

    monkeypatch.setattr(ingest.files, "_open_html", fail)
    path = hostile_path(tmp_path, "视频号_2026-10-31.xls")  # sorts before the good files
    path.write_text("<html><table><tr><td>视频描述</td></tr></table></html>", encoding="utf-8")
    good = good_files(tmp_path / "exports")
    results = run(tmp_path)
    hostile = results[path.name]
    assert hostile.status == "quarantined"
    assert f"the file cannot be read ({type(error).__name__}: {error})" in hostile.reason
    assert_good_loaded(results, good, tmp_path)
