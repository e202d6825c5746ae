"""Files that ingest must handle without loading wrong data: quarantine, duplicate, overlap.

``write_bad_corpus(out)`` returns ``{relative path: expected}`` where expected is
``"<status>:<reason keyword>"``: ``loaded:…``, ``duplicate:same_bytes`` or
``quarantined:<unreadable|empty|unknown_header|missing_column|encoding|unparseable>[:<column>]``.
Files are listed in the order ingest should meet them (sorted paths give the same order).
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

from samples.dataset import build_dataset
from samples.files import export_time, finish, write_xlsx
from samples.writers import douyin, xiaohongshu

BAD_START = dt.date(2026, 11, 16)


def _copy(src: Path, dst: Path, day: dt.date) -> Path:
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)
    return finish(dst, day)


def write_bad_corpus(out: Path) -> dict[str, str]:
    out = Path(out)
    expected: dict[str, str] = {}
    ds = build_dataset(BAD_START, 2, scale=0.25, seed=99)
    first, second = ds.snapshot_dates()
    with tempfile.TemporaryDirectory() as tmp:
        xiaohongshu.write(ds, Path(tmp))
        douyin.write(ds, Path(tmp))
        account = ds.accounts_of("xiaohongshu")[0].account_id
        xhs_first = Path(tmp) / "xiaohongshu" / account / xiaohongshu.file_name(first)
        xhs_second = Path(tmp) / "xiaohongshu" / account / xiaohongshu.file_name(second)
        dy_account = ds.accounts_of("douyin")[0].account_id
        dy_first = Path(tmp) / "douyin" / dy_account / douyin.file_name(first)

        def put(rel: str, status: str, src: Path | None = None, data: bytes | None = None) -> None:
            path = out / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if src is not None:
                _copy(src, path, first)
            else:
                path.write_bytes(data or b"")
                finish(path, first)
            expected[rel] = status

        # overlap: a later snapshot of the same notes with grown numbers (both load)
        put(f"xiaohongshu/xhs_bad/{xiaohongshu.file_name(first)}", "loaded:snapshot", xhs_first)
        put(f"xiaohongshu/xhs_bad/{xiaohongshu.file_name(second)}", "loaded:overlap", xhs_second)
        finish(out / f"xiaohongshu/xhs_bad/{xiaohongshu.file_name(second)}", second)
        # the same bytes under another name
        put(
            f"xiaohongshu/xhs_bad/{xiaohongshu.file_name(first)[:-5]}_副本.xlsx",
            "duplicate:same_bytes",
            xhs_first,
        )
        raw = xhs_first.read_bytes()
        put(
            "xiaohongshu/xhs_bad/笔记列表明细表_truncated.xlsx",
            "quarantined:unreadable",
            data=raw[: len(raw) // 2],
        )
        put("xiaohongshu/xhs_bad/笔记列表明细表_empty.xlsx", "quarantined:empty", data=b"")

        # unknown header
        put(
            "bilibili/bili_bad/近期稿件对比_unknown.csv",
            "quarantined:unknown_header",
            data="序号,名称,备注\n1,测试,无\n".encode(),
        )
        # bytes that are invalid in UTF-8, GBK and GB18030 alike (0xFF is never valid)
        header = (
            "视频描述,视频ID,发布时间,完播率,平均播放时长,播放量,推荐,喜欢,评论量,分享量,关注量"
        )
        body = "秋日冷萃,export/abc,2026/11/20,28.64%,14.73秒,406,2,2,1,0,0\n"
        bad = (
            (header + "\n").encode("gbk") + b"\xff\xfe\x80" + body.encode("gbk") + b"\xff\x80\xff\n"
        )
        put(
            "wechat_channels/sph_bad/微信视频号动态数据明细_bad_encoding.csv",
            "quarantined:encoding",
            data=bad,
        )

        # missing required column (播放量) and an unparseable value in it
        cells = [r for r in _read_rows(dy_first)]
        head, rows = cells[0], cells[1:]
        col = head.index("播放量")
        missing_path = out / "douyin/dy_bad/抖音作品列表_no_views.xlsx"
        missing_path.parent.mkdir(parents=True, exist_ok=True)
        write_xlsx(
            missing_path,
            [h for i, h in enumerate(head) if i != col],
            ([v for i, v in enumerate(r) if i != col] for r in rows),
            created=export_time(first),
        )
        finish(missing_path, first)
        expected["douyin/dy_bad/抖音作品列表_no_views.xlsx"] = "quarantined:missing_column:播放量"
        broken = [list(r) for r in rows]
        broken[0][col] = "abc"
        bad_value_path = out / "douyin/dy_bad/抖音作品列表_bad_value.xlsx"
        write_xlsx(bad_value_path, head, broken, created=export_time(first))
        finish(bad_value_path, first)
        expected["douyin/dy_bad/抖音作品列表_bad_value.xlsx"] = "quarantined:unparseable:播放量"
    return expected


def _read_rows(path: Path) -> list[list[object]]:
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    return [[(int(v) if isinstance(v, float) and v.is_integer() else v) for v in r] for r in rows]
