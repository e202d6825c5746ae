"""Load export files into the raw layer: identify each file by SHA-256, archive its bytes, recognise
its report type, type its cells and insert them in one transaction, or quarantine it whole with a
reason a marketer can act on while the other files go on."""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import os
import secrets
import shutil
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from ingest import parse, raw
from ingest.base import Detection, RowError, detect
from ingest.files import FileFormatError, open_tables
from ingest.platforms import all_specs, known_folders

SHANGHAI = ZoneInfo("Asia/Shanghai")
SKIPPED_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini", "README.md", ".gitkeep"}


@dataclass
class FileResult:
    """What happened to one file (the `--json` output of `newmedia ingest`)."""

    path: str
    sha256: str
    platform: str | None
    report: str | None
    account: str | None
    status: str  # loaded | duplicate | quarantined | unreadable (not in the ledger: retried)
    rows: int
    reason: str | None

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def iter_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Every export file under the given files and folders, in a stable order."""
    for path in paths:
        path = Path(path)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                parts = child.relative_to(path).parts
                if child.name in SKIPPED_NAMES or any(p.startswith(".") for p in parts):
                    continue
                if "templates" in parts:
                    continue
                yield child
        elif path.is_file():
            yield path
        else:
            raise FileNotFoundError(f"no such file or folder: {path}")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def location_of(path: Path) -> tuple[str | None, str]:
    """(platform folder, account id) from exports/<platform>/<account>/...; a file directly in
    the platform folder belongs to the account `default`."""
    parts = path.resolve().parts
    for index in range(len(parts) - 2, -1, -1):
        if parts[index] in known_folders():
            below = parts[index + 1 : -1]
            return parts[index], (below[0] if below else "default")
    return None, "default"


def snapshot_date_of(path: Path) -> dt.date:
    """The date in the file name, else the file's modification date in Shanghai."""
    named = parse.snapshot_date_from_name(path.name)
    if named is not None:
        return named
    return dt.datetime.fromtimestamp(path.stat().st_mtime, SHANGHAI).date()


def installation_salt(home: Path) -> bytes:
    """The per-installation salt for hashing personal data ($NEWMEDIA_SALT or a key file)."""
    if os.environ.get("NEWMEDIA_SALT"):
        return os.environ["NEWMEDIA_SALT"].encode("utf-8")
    key = home / "salt.key"
    if not key.exists():
        # two first runs may race here: each writes a whole key aside and links it in place;
        # a link never replaces, so the first one wins and nobody reads a half-written key
        home.mkdir(parents=True, exist_ok=True)
        partial = home / f".salt.key.{os.getpid()}.part"
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
        try:
            os.link(partial, key)
        except FileExistsError:
            pass
        finally:
            partial.unlink()
    return key.read_text().strip().encode("utf-8")


@contextmanager
def ingest_lock(home: Path) -> Iterator[None]:
    """One ingest at a time per installation: a second run waits, then skips what the first
    loaded (the ledger is read inside the lock)."""
    home.mkdir(parents=True, exist_ok=True)
    with (home / ".ingest.lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def archive(path: Path, sha256: str, archive_dir: Path) -> Path:
    """Keep the original bytes, keyed by hash (written atomically, once)."""
    target = archive_dir / sha256[:2] / f"{sha256}{path.suffix.lower()}"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.{os.getpid()}.part")
        shutil.copyfile(path, partial)
        os.replace(partial, target)
    return target


def ingest_paths(
    paths: Iterable[Path],
    *,
    warehouse: Path,
    home: Path,
    on_file: Callable[[FileResult], None] | None = None,
) -> list[FileResult]:
    """Load every export file under `paths` into the raw layer of `warehouse`."""
    files = list(iter_files(paths))
    salt = installation_salt(home)
    results: list[FileResult] = []
    with ingest_lock(home):
        con = raw.connect(warehouse)
        try:
            raw.ensure_all(con)
            for path in files:
                result = _ingest_file(con, path, home / "archive", salt)
                results.append(result)
                if on_file is not None:
                    on_file(result)
        finally:
            con.close()
    return results


def _ingest_file(con, path: Path, archive_dir: Path, salt: bytes) -> FileResult:
    folder_platform, account = location_of(path)
    try:
        sha256 = sha256_of(path)
    except OSError as exc:  # no permission, vanished, a broken link: say so, go on, retry next run
        reason = f"{path.name}: the file cannot be read ({exc.strerror or exc}); nothing loaded"
        return FileResult(str(path), "", folder_platform, None, account, "unreadable", 0, reason)
    if raw.loaded_status(con, sha256) == "loaded":
        return FileResult(str(path), sha256, folder_platform, None, account, "duplicate", 0, None)
    archived = archive(path, sha256, archive_dir)
    snapshot = snapshot_date_of(path)
    now = dt.datetime.now(SHANGHAI)
    detection: Detection | None = None
    try:
        tables = open_tables(path)
        detection = _detect(tables, folder_platform)
        _check_complete(detection)
        spec = detection.spec
        raw.ensure_table(con, spec)
        lineage = {
            "_file_sha256": sha256,
            "_file_name": path.name,
            "_report_type": spec.report,
            "_platform": spec.platform,
            "_account_id": account,
            "_snapshot_date": snapshot,
            "_ingested_at": now,
        }
        con.begin()
        rows = 0
        try:
            table = tables[detection.table_index]
            for cells in table.frames(detection.header_index):
                converted = spec.convert(cells, detection.mapping, salt)
                rows += raw.insert_rows(con, spec, converted, lineage)
            if rows == 0:
                raise RowError("the export holds a header but no data rows")
            raw.record_file(
                con,
                sha256=sha256,
                path=path,
                size_bytes=path.stat().st_size,
                platform=spec.platform,
                report=spec.report,
                account_id=account,
                snapshot_date=snapshot,
                status="loaded",
                rows=rows,
                reason=None,
                archive_path=archived,
                ingested_at=now,
            )
            con.commit()
        except BaseException:
            con.rollback()
            raise
        return FileResult(
            str(path), sha256, spec.platform, spec.report, account, "loaded", rows, None
        )
    except (FileFormatError, RowError, _Unrecognised) as exc:
        reason = f"{path.name}: {exc}"
        platform = detection.spec.platform if detection else folder_platform
        report = detection.spec.report if detection else None
        raw.record_file(
            con,
            sha256=sha256,
            path=path,
            size_bytes=path.stat().st_size,
            platform=platform,
            report=report,
            account_id=account,
            snapshot_date=snapshot,
            status="quarantined",
            rows=0,
            reason=reason,
            archive_path=archived,
            ingested_at=now,
        )
        return FileResult(str(path), sha256, platform, report, account, "quarantined", 0, reason)


class _Unrecognised(Exception):
    pass


def _detect(tables, folder_platform: str | None) -> Detection:
    specs = all_specs()
    heads = [table.head for table in tables]
    detection = None
    if folder_platform is not None:
        detection = detect(heads, [s for s in specs if folder_platform in s.folder_names])
    detection = detection or detect(heads, specs)
    if detection is None:
        first = next((row for head in heads for row in head if any(c is not None for c in row)), [])
        shown = "、".join(str(c) for c in first[:6] if c is not None)
        raise _Unrecognised(
            f"the header is not one of a known export (first row: {shown!r}); check that this is "
            "an unedited download from the platform's back office"
        )
    spec = detection.spec
    if folder_platform is not None and folder_platform not in spec.folder_names:
        raise _Unrecognised(
            f"the file sits in the {folder_platform} folder but is a {spec.title} export; "
            f"move it to exports/{spec.folder_names[0]}/<account>/"
        )
    return detection


def _check_complete(detection: Detection) -> None:
    if detection.missing:
        names = "、".join(f"「{c.aliases[0]}」" for c in detection.missing)
        raise _Unrecognised(
            f"this {detection.spec.title} export misses the required column {names}; export it "
            "again with all columns"
        )
