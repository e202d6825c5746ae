"""The raw layer's guarantees (product spec §2) over the whole generated corpus and the bad corpus:
SHA-256 identity and duplicate skip, the snapshot date rule, lineage on every row, the archive
of original bytes, quarantine with a reason a marketer can act on, one transaction per file (a
bad value in a later chunk, a SIGKILL in the middle), two runs at once, hashed personal data and
unknown columns kept in `_extra`.

Row counts are checked against the files themselves, read independently of ingest (csv,
openpyxl, xlrd, lxml, json)."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import re
import selectors
import signal
import subprocess
import sys
import textwrap
import warnings
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pandas as pd
import pytest

import ingest.files
from ingest import ingest_paths
from ingest.loader import FileResult, installation_salt
from ingest.platforms import all_specs
from samples import SampleDataset, generate_exports, write_bad_corpus
from samples.writers import douyin_shop as shop_writer
from samples.writers import wechat_channels as channels_writer

START = dt.date(2026, 9, 28)  # a Monday
WEEKS = 2
SCALE = 1.0
SEED = 7
SHANGHAI = ZoneInfo("Asia/Shanghai")
ROOT = Path(__file__).resolve().parents[2]
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
NAME_DATE = re.compile(r"(?<!\d)(20\d\d)(-?)(\d\d)\2(\d\d)(?!\d)")
LINEAGE = (
    "_file_sha256",
    "_file_name",
    "_row_number",
    "_report_type",
    "_platform",
    "_account_id",
    "_snapshot_date",
    "_ingested_at",
)
#: the only report type the generator does not write (公众号 followers come as user_growth)
NOT_GENERATED = {("wechat_oa", "fans_daily")}
#: what a quarantine reason must say, per keyword of `write_bad_corpus`
REASONS = {
    "unreadable": ("Excel workbook cannot be read", "download it again"),
    "empty": ("the file is empty",),
    "unknown_header": ("the header is not one of a known export", "序号"),
    "missing_column": ("misses the required column 「{column}」",),
    "encoding": ("neither UTF-8 nor GBK/GB18030", "save the file again as UTF-8"),
    "unparseable": ("row 2, column 「{column}」: value 'abc' cannot be read as a count",),
}


# --------------------------------------------------------------------------- reading files


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _blank(cell: object) -> bool:
    return cell is None or str(cell).strip() == ""


def _data_rows(rows: list[list[object]]) -> list[int]:
    """Row numbers (1-based, as a person sees them) of the non-blank rows below the header,
    the header being the first row with two cells or more (banner and title rows have one)."""
    header = next(i for i, row in enumerate(rows) if sum(not _blank(c) for c in row) >= 2)
    return [i + 1 for i in range(header + 1, len(rows)) if any(not _blank(c) for c in rows[i])]


def _json_count(text: str) -> int:
    try:
        payloads = [json.loads(text)]
    except json.JSONDecodeError:
        payloads = [json.loads(line) for line in text.splitlines() if line.strip()]
    if len(payloads) > 1:
        records = payloads
    elif isinstance(payloads[0], list):
        records = payloads[0]
    else:
        records = next(v for v in payloads[0].values() if isinstance(v, list))
    # getarticletotaldetail: one row per day of an article's detail_list
    return sum(len(r.get("detail_list") or [None]) for r in records)


def file_rows(path: Path) -> list[int] | int:
    """The data rows of an export file, read without ingest: their row numbers for a table
    (sheet, HTML table, CSV), the number of records for JSON."""
    data = path.read_bytes()
    if data[:4] == b"PK\x03\x04":
        import openpyxl

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(io.BytesIO(data))
        sheet = book.worksheets[0]
        rows = [list(r) for r in sheet.iter_rows(min_row=1, values_only=True)]
        return _data_rows(rows)
    if data[:8] == OLE:
        import xlrd

        sheet = xlrd.open_workbook(file_contents=data).sheet_by_index(0)
        return _data_rows([sheet.row_values(i) for i in range(sheet.nrows)])
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    start = text.lstrip()
    if start.startswith("<"):
        from lxml import html

        rows = [
            [td.text_content() for td in tr if td.tag in ("td", "th")]
            for tr in html.fromstring(text).iter("tr")
        ]
        return _data_rows(rows)
    if start[:1] in "[{":
        return _json_count(text)
    return _data_rows(list(csv.reader(io.StringIO(text))))


def snapshot_date(path: Path) -> dt.date:
    found = NAME_DATE.findall(path.name)
    if found:
        y, _, m, d = found[-1]
        return dt.date(int(y), int(m), int(d))
    return dt.datetime.fromtimestamp(path.stat().st_mtime, SHANGHAI).date()


# --------------------------------------------------------------------------- the warehouse


def connect(warehouse: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(warehouse), read_only=True)
    con.execute("set TimeZone = 'Asia/Shanghai'")
    return con


def raw_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [
        r[0]
        for r in con.execute(
            "select table_name from information_schema.tables "
            "where table_schema = 'raw' and table_name <> '_files' order by 1"
        ).fetchall()
    ]


def table_counts(warehouse: Path) -> dict[str, int]:
    con = connect(warehouse)
    try:
        return {
            t: con.execute(f'select count(*) from raw."{t}"').fetchone()[0] for t in raw_tables(con)
        }
    finally:
        con.close()


def ledger(warehouse: Path) -> dict[str, dict]:
    con = connect(warehouse)
    try:
        cur = con.execute("select * from raw._files order by sha256")
        names = [d[0] for d in cur.description]
        return {row[0]: dict(zip(names, row, strict=True)) for row in cur.fetchall()}
    finally:
        con.close()


def rows_of(warehouse: Path, table: str, sha: str) -> int:
    con = connect(warehouse)
    try:
        return con.execute(
            f'select count(*) from raw."{table}" where _file_sha256 = ?', [sha]
        ).fetchone()[0]
    finally:
        con.close()


def string_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    return [
        name
        for name, kind in con.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'raw' and table_name = ?",
            [table],
        ).fetchall()
        if kind in ("VARCHAR", "JSON")
    ]


def plain_leaks(con: duckdb.DuckDBPyConnection, table: str, secrets: set[str]) -> list[tuple]:
    """(secret, cell) pairs where a plain value appears inside any text or JSON cell."""
    con.register("_secrets", pd.DataFrame({"secret": sorted(secrets)}))
    try:
        return [
            hit
            for column in string_columns(con, table)
            for hit in con.execute(
                f'select s.secret, t."{column}"::varchar from raw."{table}" t '
                f'join _secrets s on contains(t."{column}"::varchar, s.secret) limit 3'
            ).fetchall()
        ]
    finally:
        con.unregister("_secrets")


# --------------------------------------------------------------------------- the corpus


@dataclass
class Corpus:
    ds: SampleDataset
    tmp: Path
    exports: Path
    bad: Path
    expected: dict[str, str]  # bad corpus: relative path -> "status:keyword[:column]"
    first: list[FileResult]
    second: list[FileResult]
    counts_first: dict[str, int]
    ledger_first: dict[str, dict]
    started: dt.datetime
    finished: dt.datetime

    @property
    def warehouse(self) -> Path:
        return self.tmp / "warehouse.duckdb"

    @property
    def home(self) -> Path:
        return self.tmp / "home"

    def result(self, path: Path) -> FileResult:
        return next(r for r in self.first if Path(r.path) == path)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    tmp = tmp_path_factory.mktemp("loader")
    ds = generate_exports(tmp / "exports", START, WEEKS, scale=SCALE, seed=SEED)
    expected = write_bad_corpus(tmp / "bad")
    paths = [tmp / "exports", tmp / "bad"]
    kwargs = {"warehouse": tmp / "warehouse.duckdb", "home": tmp / "home"}
    started = dt.datetime.now(SHANGHAI)
    first = ingest_paths(paths, **kwargs)
    finished = dt.datetime.now(SHANGHAI)
    counts_first = table_counts(tmp / "warehouse.duckdb")
    ledger_first = ledger(tmp / "warehouse.duckdb")
    second = ingest_paths(paths, **kwargs)
    return Corpus(
        ds,
        tmp,
        tmp / "exports",
        tmp / "bad",
        expected,
        first,
        second,
        counts_first,
        ledger_first,
        started,
        finished,
    )


def test_every_generated_file_loads_and_every_report_type_is_covered(corpus: Corpus) -> None:
    generated = [r for r in corpus.first if Path(r.path).is_relative_to(corpus.exports)]
    on_disk = sorted(p for p in corpus.exports.rglob("*") if p.is_file())
    assert sorted(Path(r.path) for r in generated) == on_disk
    bad = [r for r in generated if r.status != "loaded" or r.rows <= 0 or r.reason]
    assert bad == []
    covered = {(r.platform, r.report) for r in generated}
    assert covered == {(s.platform, s.report) for s in all_specs()} - NOT_GENERATED
    for r in generated:  # the account is the folder below the platform folder
        assert r.account == Path(r.path).relative_to(corpus.exports).parts[1]
        assert r.sha256 == sha256(Path(r.path))


@pytest.mark.parametrize(
    "rel",
    [
        "xiaohongshu/xhs_bad/笔记列表明细表_2026-11-23.xlsx",
        "xiaohongshu/xhs_bad/笔记列表明细表_2026-11-30.xlsx",
        "xiaohongshu/xhs_bad/笔记列表明细表_2026-11-23_副本.xlsx",
        "xiaohongshu/xhs_bad/笔记列表明细表_truncated.xlsx",
        "xiaohongshu/xhs_bad/笔记列表明细表_empty.xlsx",
        "bilibili/bili_bad/近期稿件对比_unknown.csv",
        "wechat_channels/sph_bad/微信视频号动态数据明细_bad_encoding.csv",
        "douyin/dy_bad/抖音作品列表_no_views.xlsx",
        "douyin/dy_bad/抖音作品列表_bad_value.xlsx",
    ],
)
def test_bad_corpus_file_gets_its_status_and_reason(corpus: Corpus, rel: str) -> None:
    expected = corpus.expected[rel]
    status, keyword, *column = expected.split(":")
    path = corpus.bad / rel
    result = corpus.result(path)
    assert result.status == status, (rel, result.reason)
    assert result.sha256 == sha256(path)
    assert result.account == rel.split("/")[1]
    if status == "loaded":
        assert result.reason is None
        assert result.rows == len(file_rows(path)) > 0
        assert (result.platform, result.report) == ("xiaohongshu", "note_list")
    elif status == "duplicate":
        assert (result.rows, result.reason) == (0, None)
        original = corpus.result(path.with_name(path.name.replace("_副本", "")))
        assert original.status == "loaded" and original.sha256 == result.sha256
    else:
        assert result.rows == 0
        assert result.reason.startswith(f"{path.name}: ")
        for phrase in REASONS[keyword]:
            assert phrase.format(column=column[0] if column else "") in result.reason
        assert corpus.ledger_first[result.sha256]["status"] == "quarantined"
        assert corpus.ledger_first[result.sha256]["reason"] == result.reason
        con = connect(corpus.warehouse)
        try:  # a quarantined file leaves no row anywhere
            for table in raw_tables(con):
                assert (
                    con.execute(
                        f'select count(*) from raw."{table}" where _file_sha256 = ?',
                        [result.sha256],
                    ).fetchone()[0]
                    == 0
                )
        finally:
            con.close()
    assert {r for r in corpus.expected} == {
        str(Path(r.path).relative_to(corpus.bad))
        for r in corpus.first
        if Path(r.path).is_relative_to(corpus.bad)
    }


def test_the_detected_report_is_kept_for_a_quarantine(corpus: Corpus) -> None:
    for rel in (
        "douyin/dy_bad/抖音作品列表_no_views.xlsx",
        "douyin/dy_bad/抖音作品列表_bad_value.xlsx",
    ):
        result = corpus.result(corpus.bad / rel)
        assert (result.platform, result.report) == ("douyin", "video_list")


def test_an_overlapping_later_snapshot_adds_history(corpus: Corpus) -> None:
    con = connect(corpus.warehouse)
    try:
        rows = con.execute(
            "select _snapshot_date, title, published_at, views from raw.xiaohongshu__note_list "
            "where _account_id = 'xhs_bad' order by _snapshot_date"
        ).fetchall()
    finally:
        con.close()
    by_date: dict[dt.date, dict] = {}
    for day, title, published, views in rows:
        by_date.setdefault(day, {})[(title, published)] = views
    first, second = sorted(by_date)
    assert (first, second) == (dt.date(2026, 11, 23), dt.date(2026, 11, 30))
    common = by_date[first].keys() & by_date[second].keys()
    assert common  # the same notes, in both snapshots
    assert all(by_date[second][k] >= by_date[first][k] for k in common)
    assert any(by_date[second][k] > by_date[first][k] for k in common)


def test_a_second_run_loads_nothing(corpus: Corpus) -> None:
    first = {r.path: r for r in corpus.first}
    assert [r.path for r in corpus.second] == [r.path for r in corpus.first]
    for r in corpus.second:
        before = first[r.path]
        if before.status in ("loaded", "duplicate"):
            assert (r.status, r.rows, r.sha256) == ("duplicate", 0, before.sha256)
        else:  # still quarantined, for the same reason
            assert (r.status, r.rows, r.reason) == ("quarantined", 0, before.reason)
    assert table_counts(corpus.warehouse) == corpus.counts_first
    after = ledger(corpus.warehouse)
    assert after.keys() == corpus.ledger_first.keys()
    for sha, row in after.items():
        assert (row["status"], row["rows"]) == (
            corpus.ledger_first[sha]["status"],
            corpus.ledger_first[sha]["rows"],
        )


def test_raw_rows_equal_the_good_rows_no_more_no_fewer(corpus: Corpus) -> None:
    expected: dict[str, int] = {}
    for r in corpus.first:
        if r.status == "loaded":
            rows = file_rows(Path(r.path))
            count = rows if isinstance(rows, int) else len(rows)
            assert r.rows == count, r.path
            table = f"{r.platform}__{r.report}"
            expected[table] = expected.get(table, 0) + count
    counts = table_counts(corpus.warehouse)
    assert counts.keys() == {s.table for s in all_specs()}
    assert {t: n for t, n in counts.items() if n} == expected
    ledger_rows = {}
    for row in corpus.ledger_first.values():
        if row["status"] == "loaded":
            table = f"{row['platform']}__{row['report']}"
            ledger_rows[table] = ledger_rows.get(table, 0) + row["rows"]
    assert ledger_rows == expected


def test_every_row_carries_its_lineage(corpus: Corpus) -> None:
    loaded = {r.sha256: r for r in corpus.first if r.status == "loaded"}
    seen: set[str] = set()
    con = connect(corpus.warehouse)
    try:
        for table in raw_tables(con):
            for column in LINEAGE:
                nulls = con.execute(
                    f'select count(*) from raw."{table}" where "{column}" is null'
                ).fetchone()[0]
                assert nulls == 0, (table, column)
            groups = con.execute(
                "select _file_sha256, any_value(_file_name), any_value(_report_type), "
                "any_value(_platform), any_value(_account_id), any_value(_snapshot_date), "
                "min(_ingested_at), max(_ingested_at), count(distinct (_file_name, "
                "_report_type, _platform, _account_id, _snapshot_date, _ingested_at)), "
                f'list(_row_number order by _row_number) from raw."{table}" group by 1'
            ).fetchall()
            for sha, name, report, platform, account, day, lo, hi, variants, numbers in groups:
                result = loaded[sha]
                path = Path(result.path)
                seen.add(sha)
                assert variants == 1  # one lineage per file
                assert sha == sha256(path)
                assert name == path.name
                assert (platform, report) == (result.platform, result.report)
                assert table == f"{platform}__{report}"
                assert account == path.parent.name == result.account
                assert day == snapshot_date(path)
                assert lo == hi and corpus.started <= lo <= corpus.finished
                assert lo.utcoffset() == dt.timedelta(hours=8)
                expected = file_rows(path)
                if isinstance(expected, int):  # JSON: one number per record
                    assert len(numbers) == len(set(numbers)) == expected
                else:  # the row a person sees in the sheet or the CSV
                    assert numbers == expected, path.name
    finally:
        con.close()
    assert seen == set(loaded)


def test_a_file_without_a_date_in_its_name_takes_its_mtime_in_shanghai(tmp_path: Path) -> None:
    ds_folder = tmp_path / "exports"
    source = _channels_file(tmp_path / "src")
    target = ds_folder / "wechat_channels" / "sph_x" / "视频号导出 (Tom's copy).csv"
    target.parent.mkdir(parents=True)
    target.write_bytes(source.read_bytes())
    # 20:30 UTC on 20 November is 04:30 on 21 November in Shanghai
    instant = dt.datetime(2026, 11, 20, 20, 30, tzinfo=dt.UTC).timestamp()
    os.utime(target, (instant, instant))
    (result,) = ingest_paths([ds_folder], warehouse=tmp_path / "w.duckdb", home=tmp_path / "h")
    assert result.status == "loaded"
    con = connect(tmp_path / "w.duckdb")
    try:
        days = con.execute(
            "select distinct _snapshot_date, _file_name from raw.wechat_channels__video_list"
        ).fetchall()
        (ledger_day,) = con.execute("select snapshot_date from raw._files").fetchone()
    finally:
        con.close()
    assert days == [(dt.date(2026, 11, 21), target.name)]  # a quote in the name is kept
    assert ledger_day == dt.date(2026, 11, 21)


def test_the_archive_keeps_the_exact_bytes_of_every_file(corpus: Corpus) -> None:
    archive = corpus.home / "archive"
    for sha, row in ledger(corpus.warehouse).items():
        kept = Path(row["archive_path"])
        assert kept.parent.parent == archive and kept.name.startswith(sha)
        data = kept.read_bytes()
        assert hashlib.sha256(data).hexdigest() == sha
        assert data == Path(row["path"]).read_bytes()
    stored = [p for p in archive.rglob("*") if p.is_file()]
    assert len(stored) == len(corpus.ledger_first)  # one copy per hash, no leftovers
    assert not [p for p in stored if p.name.startswith(".")]


def test_unknown_extra_columns_are_kept_in_extra(tmp_path: Path) -> None:
    source = _channels_file(tmp_path / "src")
    frame = pd.read_csv(source, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    frame.insert(3, "备注", [f"note-{i}" for i in range(len(frame))])
    frame["渠道标签"] = ["" if i % 2 else "达人" for i in range(len(frame))]
    folder = tmp_path / "exports" / "wechat_channels" / "acct"
    folder.mkdir(parents=True)
    frame.to_csv(folder / source.name, index=False, encoding="utf-8-sig")
    (result,) = ingest_paths([folder], warehouse=tmp_path / "w.duckdb", home=tmp_path / "h")
    assert result.status == "loaded" and result.rows == len(frame)
    con = connect(tmp_path / "w.duckdb")
    try:
        rows = con.execute(
            "select _row_number, content_id, _extra::varchar, _extra->>'备注', "
            "_extra->>'渠道标签' from raw.wechat_channels__video_list order by _row_number"
        ).fetchall()
        (found,) = con.execute(
            "select content_id from raw.wechat_channels__video_list "
            "where json_extract_string(_extra, '$.备注') = 'note-1'"
        ).fetchall()
    finally:
        con.close()
    assert found == (frame.loc[1, "视频ID"],)
    for i, (number, content_id, extra, note, tag) in enumerate(rows):
        assert number == i + 2 and content_id == frame.loc[i, "视频ID"]
        assert isinstance(json.loads(extra), dict)
        assert note == f"note-{i}"
        assert (tag or None) == (None if i % 2 else "达人")  # empty: "" or NULL


# --------------------------------------------------------------------------- transactions


def _channels_file(folder: Path) -> Path:
    """One generated 视频号 video_list CSV (the 19-column form)."""
    from samples import build_dataset

    ds = build_dataset(START, 1, scale=0.5, seed=SEED)
    paths = channels_writer.write(ds, folder)
    return max(paths, key=lambda p: len(pd.read_csv(p, nrows=0, encoding="utf-8-sig").columns))


def _big_channels_csv(source: Path, target: Path, rows: int) -> pd.DataFrame:
    """A 视频号 CSV of `rows` rows: the source's rows repeated, with unique video ids."""
    frame = pd.read_csv(source, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    big = frame.iloc[[i % len(frame) for i in range(rows)]].reset_index(drop=True)
    big["视频ID"] = [f"export/big{i:07d}" for i in range(rows)]
    target.parent.mkdir(parents=True, exist_ok=True)
    big.to_csv(target, index=False, encoding="utf-8-sig")
    return big


def test_a_bad_value_in_a_later_chunk_leaves_no_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ingest.files, "CSV_CHUNK_ROWS", 40)
    source = _channels_file(tmp_path / "src")
    folder = tmp_path / "exports" / "wechat_channels" / "acct"
    bad = _big_channels_csv(source, folder / "a_微信视频号动态数据明细_2026-11-02.csv", 200)
    bad.loc[130, "播放量"] = "abc"
    bad.to_csv(
        folder / "a_微信视频号动态数据明细_2026-11-02.csv", index=False, encoding="utf-8-sig"
    )
    _big_channels_csv(source, folder / "b_微信视频号动态数据明细_2026-11-02.csv", 150)
    results = ingest_paths([folder], warehouse=tmp_path / "w.duckdb", home=tmp_path / "h")
    assert [(Path(r.path).name[0], r.status, r.rows) for r in results] == [
        ("a", "quarantined", 0),
        ("b", "loaded", 150),
    ]
    assert "row 132, column 「播放量」: value 'abc'" in results[0].reason
    assert rows_of(tmp_path / "w.duckdb", "wechat_channels__video_list", results[0].sha256) == 0
    assert rows_of(tmp_path / "w.duckdb", "wechat_channels__video_list", results[1].sha256) == 150


def test_undecodable_bytes_after_the_sniffed_start_leave_no_rows(tmp_path: Path) -> None:
    source = _channels_file(tmp_path / "src")
    folder = tmp_path / "exports" / "wechat_channels" / "acct"
    path = folder / "微信视频号动态数据明细_2026-11-02.csv"
    big = _big_channels_csv(source, path, 20_000)
    assert path.stat().st_size > ingest.files.SNIFF_BYTES * 1.5
    data = path.read_bytes()
    cut = data.rfind(b"\n", 0, len(data) - 2000) + 1  # a line near the end
    path.write_bytes(data[:cut] + b"\xff\xfe" + data[cut:])
    (result,) = ingest_paths([folder], warehouse=tmp_path / "w.duckdb", home=tmp_path / "h")
    assert result.status == "quarantined", result.reason
    assert "not valid utf-8" in result.reason.lower()
    assert "save the file again as UTF-8 or GBK" in result.reason
    assert rows_of(tmp_path / "w.duckdb", "wechat_channels__video_list", result.sha256) == 0
    assert len(big) == 20_000


CHILD = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path

    import ingest.files
    import ingest.raw
    from ingest import ingest_paths

    folder, warehouse, home, chunk, pause_after, go = sys.argv[1:7]
    ingest.files.CSV_CHUNK_ROWS = int(chunk)
    pause_after = int(pause_after)
    if pause_after:
        insert = ingest.raw.insert_rows
        calls = []

        def insert_and_pause(*args, **kwargs):
            rows = insert(*args, **kwargs)
            calls.append(rows)
            if len(calls) == pause_after:
                print("inserted", sum(calls), flush=True)
                time.sleep(300)
            return rows

        ingest.raw.insert_rows = insert_and_pause
    if go != "-":
        print("ready", flush=True)
        while not Path(go).exists():
            time.sleep(0.005)
    results = ingest_paths([Path(folder)], warehouse=Path(warehouse), home=Path(home))
    print(json.dumps([r.as_dict() for r in results], ensure_ascii=False), flush=True)
    """
)


def _child(tmp: Path, *args: object) -> subprocess.Popen:
    script = tmp / "child.py"
    script.write_text(CHILD)
    env = dict(os.environ)
    return subprocess.Popen(
        [sys.executable, str(script), *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
    )


def _read_line(proc: subprocess.Popen, timeout: float) -> str:
    with selectors.DefaultSelector() as selector:
        selector.register(proc.stdout, selectors.EVENT_READ)
        if not selector.select(timeout):
            proc.kill()
            raise AssertionError(f"no output from the child within {timeout} s")
    line = proc.stdout.readline()
    if not line:
        proc.wait(10)
        raise AssertionError(f"the child ended: {proc.stderr.read()}")
    return line


def test_sigkill_in_the_middle_of_a_file_leaves_nothing_and_a_later_run_loads_it(
    tmp_path: Path,
) -> None:
    rows = 30_000
    source = _channels_file(tmp_path / "src")
    folder = tmp_path / "exports" / "wechat_channels" / "acct"
    path = folder / "微信视频号动态数据明细_2026-11-02.csv"
    _big_channels_csv(source, path, rows)
    warehouse, home = tmp_path / "w.duckdb", tmp_path / "h"
    proc = _child(tmp_path, folder, warehouse, home, 5_000, 3, "-")
    try:
        line = _read_line(proc, 60)
        assert line.split() == ["inserted", "15000"]  # three chunks are in, uncommitted
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    assert proc.returncode == -signal.SIGKILL
    sha = sha256(path)
    assert rows_of(warehouse, "wechat_channels__video_list", sha) == 0
    assert sha not in ledger(warehouse)
    (result,) = ingest_paths([folder], warehouse=warehouse, home=home)
    assert (result.status, result.rows) == ("loaded", rows)
    assert rows_of(warehouse, "wechat_channels__video_list", sha) == rows
    assert ledger(warehouse)[sha]["rows"] == rows
    con = connect(warehouse)
    try:
        numbers = con.execute(
            "select min(_row_number), max(_row_number), count(distinct _row_number) "
            "from raw.wechat_channels__video_list"
        ).fetchone()
    finally:
        con.close()
    assert numbers == (2, rows + 1, rows)


def test_two_runs_started_at_once_load_each_file_once(tmp_path: Path) -> None:
    from samples import build_dataset

    ds = build_dataset(START, WEEKS, scale=SCALE, seed=SEED)
    folder = tmp_path / "exports"
    written = channels_writer.write(ds, folder) + shop_writer.write(ds, folder)
    warehouse, home, go = tmp_path / "w.duckdb", tmp_path / "home", tmp_path / "go"
    procs = [_child(tmp_path, folder, warehouse, home, 250_000, 0, go) for _ in range(2)]
    try:
        for proc in procs:
            assert _read_line(proc, 60).strip() == "ready"
        go.touch()  # both start now: no salt yet, no warehouse yet
        outputs = [json.loads(_read_line(proc, 90)) for proc in procs]
        for proc in procs:
            assert proc.wait(30) == 0, proc.stderr.read()
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
    by_sha: dict[str, list[str]] = {}
    for output in outputs:
        assert len(output) == len(written)
        for r in output:
            by_sha.setdefault(r["sha256"], []).append(r["status"])
    assert len(by_sha) == len(written)
    assert all(sorted(s) == ["duplicate", "loaded"] for s in by_sha.values()), by_sha
    files = ledger(warehouse)
    assert files.keys() == by_sha.keys()
    assert all(f["status"] == "loaded" for f in files.values())
    expected = {"wechat_channels__video_list": 0, "douyin_shop__orders": 0}
    for path in written:
        table = (
            "douyin_shop__orders" if "douyin_shop" in path.parts else "wechat_channels__video_list"
        )
        expected[table] += len(file_rows(path))
    counts = table_counts(warehouse)
    assert {t: counts[t] for t in expected} == expected
    assert sum(counts.values()) == sum(expected.values())
    assert (home / "salt.key").read_text().strip()  # one salt, written whole


# --------------------------------------------------------------------------- personal data


def test_personal_data_is_hashed_with_the_installation_salt(corpus: Corpus) -> None:
    salt = (corpus.home / "salt.key").read_text().strip().encode("utf-8")
    assert len(salt) >= 32
    assert installation_salt(corpus.home) == salt

    def hashed(value: str) -> str:
        return hashlib.sha256(salt + value.encode("utf-8")).hexdigest()

    con = connect(corpus.warehouse)
    try:
        phones = dict(
            con.execute(
                "select _account_id || '/' || sub_order_id, recipient_phone "
                "from raw.douyin_shop__orders"
            ).fetchall()
        )
        orders = corpus.ds.orders
        assert len(phones) == len(orders)
        for order in orders:
            assert phones[f"{order.account_id}/{order.sub_order_id}"] == hashed(order.buyer_phone)
        assert plain_leaks(con, "douyin_shop__orders", {o.buyer_phone for o in orders}) == []
        comments = corpus.ds.comments
        for platform in ("xiaohongshu", "douyin", "bilibili", "kuaishou"):
            table = f"{platform}__comments"
            stored = dict(
                con.execute(
                    f"select distinct comment_id, [user_id, nickname] from raw.{table}"
                ).fetchall()
            )
            mine = [c for c in comments if c.platform == platform]
            assert mine and len(stored) == len({c.comment_id for c in mine})
            for c in mine:
                assert stored[c.comment_id] == [hashed(c.user_id), hashed(c.nickname)]
            secrets = {c.user_id for c in mine} | {c.nickname for c in mine}
            assert plain_leaks(con, table, secrets) == []
    finally:
        con.close()


def test_the_salt_may_come_from_newmedia_salt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """NEWMEDIA_SALT, read once by the settings, reaches the loader through the ingest task."""
    from newmedia.settings import get_settings
    from newmedia.tasks import ingest_exports
    from samples import build_dataset

    monkeypatch.setenv("NEWMEDIA_SALT", "pepper-for-tests")
    monkeypatch.setenv("NEWMEDIA_HOME", str(tmp_path))
    monkeypatch.setenv("NEWMEDIA_EXPORTS", str(tmp_path / "exports"))
    monkeypatch.setenv("NEWMEDIA_TARGET", "duckdb")
    ds = build_dataset(START, 1, scale=0.5, seed=SEED)
    shop_writer.write(ds, tmp_path / "exports")
    settings = get_settings()
    assert settings.salt == "pepper-for-tests" and "pepper" not in repr(settings)
    summary = ingest_exports(settings=settings)
    assert summary["files"] == summary["loaded"] > 0
    assert not (tmp_path / "salt.key").exists()
    con = connect(settings.warehouse_path)
    try:
        phones = dict(
            con.execute(
                "select _account_id || '/' || sub_order_id, recipient_phone "
                "from raw.douyin_shop__orders"
            ).fetchall()
        )
    finally:
        con.close()
    assert len(phones) == len(ds.orders)
    for order in ds.orders:
        digest = hashlib.sha256(b"pepper-for-tests" + order.buyer_phone.encode()).hexdigest()
        assert phones[f"{order.account_id}/{order.sub_order_id}"] == digest


def _salt_worker(home: str, barrier, results) -> None:
    barrier.wait()
    try:
        results.put(installation_salt(Path(home)).decode())
    except Exception as exc:  # reported to the parent
        results.put(f"error: {exc!r}")


def test_first_runs_racing_for_the_salt_all_get_the_same_whole_salt(tmp_path: Path) -> None:
    import multiprocessing

    context = multiprocessing.get_context("fork")
    workers = 4
    for round_ in range(12):
        home = tmp_path / f"home{round_}"
        barrier, results = context.Barrier(workers), context.Queue()
        procs = [
            context.Process(target=_salt_worker, args=(str(home), barrier, results))
            for _ in range(workers)
        ]
        for proc in procs:
            proc.start()
        salts = [results.get(timeout=30) for _ in procs]
        for proc in procs:
            proc.join(30)
        key = (home / "salt.key").read_text().strip()
        assert len(key) == 64 and salts == [key] * workers, salts
        assert sorted(p.name for p in home.iterdir()) == ["salt.key"]


def test_row_numbers_are_the_rows_a_person_sees_blank_lines_included(tmp_path: Path) -> None:
    header = "视频描述,视频ID,发布时间,完播率,平均播放时长,播放量,推荐,喜欢,评论量,分享量,关注量"
    row = "{t},export/{t},2026/11/20,28.64%,14.73秒,{views},2,2,1,0,0"
    lines = [header, "", row.format(t="a", views=406), "", "", ",,,,,,,,,,"]
    lines += [row.format(t="b", views=12), row.format(t="c", views="abc"), ""]
    folder = tmp_path / "exports" / "wechat_channels" / "acct"
    folder.mkdir(parents=True)
    path = folder / "微信视频号动态数据明细_2026-11-02.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    kwargs = {"warehouse": tmp_path / "w.duckdb", "home": tmp_path / "h"}
    (result,) = ingest_paths([folder], **kwargs)
    assert result.status == "quarantined"
    assert "row 8, column 「播放量」: value 'abc'" in result.reason
    path.write_text("\n".join(lines).replace("abc", "7"), encoding="utf-8")
    (result,) = ingest_paths([folder], **kwargs)
    assert (result.status, result.rows) == ("loaded", 3)
    con = connect(tmp_path / "w.duckdb")
    try:
        numbers = con.execute(
            "select content_id, _row_number from raw.wechat_channels__video_list order by 2"
        ).fetchall()
    finally:
        con.close()
    assert numbers == [("export/a", 3), ("export/b", 7), ("export/c", 8)]
    assert file_rows(path) == [3, 7, 8]


def test_a_file_that_cannot_be_read_is_reported_and_the_others_load(tmp_path: Path) -> None:
    """A file moved away between the folder scan and its turn (or one without read permission)
    is reported as unreadable with its name and reason, is kept out of the ledger so the next run
    retries it, and every other file still loads."""
    source = _channels_file(tmp_path / "src")
    folder = tmp_path / "exports" / "wechat_channels" / "sph_x"
    folder.mkdir(parents=True)
    first = folder / "视频号_2026-10-01.csv"
    second = folder / "视频号_2026-10-02.csv"
    first.write_bytes(source.read_bytes())
    frame = pd.read_csv(source, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    frame.iloc[:1].to_csv(second, index=False, encoding="utf-8-sig")  # other bytes, other hash
    held_back = tmp_path / "held_back.csv"

    def move_the_second_away(result: FileResult) -> None:
        if Path(result.path) == first:
            second.rename(held_back)

    results = ingest_paths(
        [tmp_path / "exports"],
        warehouse=tmp_path / "w.duckdb",
        home=tmp_path / "h",
        on_file=move_the_second_away,
    )
    assert [(Path(r.path).name, r.status) for r in results] == [
        (first.name, "loaded"),
        (second.name, "unreadable"),
    ]
    assert second.name in results[1].reason and "cannot be read" in results[1].reason
    assert results[0].rows == len(frame)
    con = connect(tmp_path / "w.duckdb")
    try:
        assert con.execute("select count(*) from raw._files").fetchone()[0] == 1
    finally:
        con.close()

    held_back.rename(second)  # back in place: the next run loads it, and only it
    again = ingest_paths(
        [tmp_path / "exports"], warehouse=tmp_path / "w.duckdb", home=tmp_path / "h"
    )
    assert sorted((Path(r.path).name, r.status, r.rows) for r in again) == [
        (first.name, "duplicate", 0),
        (second.name, "loaded", 1),
    ]
