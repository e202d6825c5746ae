"""Load export files into the raw layer: identify each file by SHA-256, archive its bytes, recognise
its report type, type its cells and insert them in one transaction, or quarantine it whole with a
reason a marketer can act on while the other files go on."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import hashlib
import logging
import os
import secrets
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb

from ingest import limits, nondata, parse, personal, raw
from ingest.base import Detection, RowError, detect
from ingest.files import (
    FileFormatError,
    check_cells,
    check_frame,
    header_labels,
    open_tables,
)
from ingest.platforms import all_specs, known_folders
from registry.timezone import SHANGHAI

SKIPPED_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini", "README.md", ".gitkeep"}


@dataclass
class FileResult:
    """What happened to one file (the `--json` output of `newmedia ingest`)."""

    path: str
    sha256: str
    platform: str | None
    report: str | None
    account: str | None
    #: loaded | duplicate | quarantined | unreadable (not in the ledger: retried) | skipped (a
    #: hidden or unfinished file, a linked folder: not read, said so)
    status: str
    rows: int
    reason: str | None

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


#: endings of a download or copy that has not finished
UNFINISHED = (".part", ".crdownload", ".download", ".tmp")


def iter_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Every entry under the given files and folders that gets a status, in a stable order:
    export files, and what is not loaded but said so (links, hidden and unfinished files,
    hidden folders). Links are never followed into folders."""
    for path, _ in scan(paths):
        yield path


def scan(paths: Iterable[Path]) -> list[tuple[Path, Path]]:
    """(entry, the landing zone it was found in) for `iter_files`."""
    found: list[tuple[Path, Path]] = []
    for path in paths:
        path = Path(path)
        if path.is_symlink() or path.is_file():
            found.append((path, path.parent))
        elif path.is_dir():
            entries = []
            for folder, dirs, names in os.walk(path):  # a linked folder is listed, not entered
                here = Path(folder)
                if "templates" in here.relative_to(path).parts:
                    dirs[:] = []
                    continue
                for name in list(dirs):
                    if name.startswith(".") or (here / name).is_symlink():
                        dirs.remove(name)
                        entries.append(here / name)
                entries += [here / n for n in names if n not in SKIPPED_NAMES]
            found += [(entry, path) for entry in sorted(entries)]
        else:
            raise FileNotFoundError(f"no such file or folder: {path}")
    return found


def preflight(path: Path, zone: Path) -> tuple[str, str] | None:
    """(status, reason) for an entry that is not read as an export, else None. A link is
    followed only to a file inside the landing zone `zone`."""
    name = path.name
    if path.is_symlink():
        try:
            target = path.resolve(strict=True)
        except (RuntimeError, OSError) as exc:  # a loop (RuntimeError or ELOOP), a dangling link
            if isinstance(exc, RuntimeError) or getattr(exc, "errno", None) == errno.ELOOP:
                why = "a link that leads back to itself (a link loop)"
            else:
                why = "a link to a file that does not exist (a dangling link)"
            return "unreadable", f"{name}: {why}; nothing read: delete it, or put the export here"
        if not target.is_relative_to(zone.resolve()):
            return "quarantined", (
                f"{name}: a link to a file outside the landing zone; links out of the landing "
                "zone are never followed and nothing was read: copy the export itself here"
            )
        if target.is_dir():
            return "skipped", (
                f"{name}: a link to a folder; linked folders are not entered: move the exports "
                "themselves into the landing zone"
            )
        return None
    if path.is_dir():
        return "skipped", (
            f"{name}/: a hidden folder (its name starts with a dot); its files are not loaded: "
            "rename it without the dot to load them"
        )
    if name.lower().endswith(UNFINISHED):
        return "skipped", (
            f"{name}: an unfinished download or copy; not loaded: when it is complete, rename "
            "it without the ending, or delete it"
        )
    if name.startswith("."):
        return "skipped", (
            f"{name}: a hidden file (its name starts with a dot); not loaded: rename it without "
            "the dot to load it"
        )
    return None


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def location_of(path: Path) -> tuple[str | None, str]:
    """(platform folder, account id) from exports/<platform>/<account>/...; a file directly in
    the platform folder belongs to the account `default`."""
    parts = (path.parent.resolve() / path.name).parts  # a link itself is not resolved
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


def installation_salt(home: Path, configured: str | None = None) -> bytes:
    """The per-installation salt for hashing personal data: `configured` (the settings'
    NEWMEDIA_SALT) when given, else the key file `home/salt.key`, made on the first run."""
    if configured:
        return configured.encode("utf-8")
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
def ingest_lock(
    home: Path, timeout: float | None = None, on_wait: Callable[[str], None] | None = None
) -> Iterator[None]:
    """One ingest at a time per installation: a second run says that it waits (`on_wait`),
    waits at most `timeout` seconds (default: Limits' NEWMEDIA_LOCK_TIMEOUT), then skips what the
    first loaded (the ledger is read inside the lock); past the timeout, a TimeoutError."""
    owner_only(home, tighten=False)
    timeout = limits.Limits().lock_timeout if timeout is None else timeout
    with (home / ".ingest.lock").open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            (on_wait or _log_wait)(
                f"another ingest is running ({holder}); waiting for it, at most {timeout:g} s"
                " (NEWMEDIA_LOCK_TIMEOUT)"
            )
            deadline = time.monotonic() + timeout
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise TimeoutError(
                            f"another ingest ({holder}) still runs after {timeout:g} s; try "
                            "again when it ends, or raise NEWMEDIA_LOCK_TIMEOUT"
                        ) from None
                    time.sleep(0.2)
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(f"pid {os.getpid()}, since {dt.datetime.now(SHANGHAI):%H:%M:%S}")
            handle.flush()
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _log_wait(message: str) -> None:
    logging.getLogger("ingest").warning(message)


def owner_only(folder: Path, *, tighten: bool = True) -> None:
    """Create `folder` readable by its owner only (0700), its missing parents too; with
    `tighten`, an existing folder this user owns is made so too (for the project's own folders:
    the archive, the reports; not for a data directory someone chose, which may be shared)."""
    missing = [p for p in (folder, *folder.parents) if not p.exists()]
    for item in reversed(missing):
        with contextlib.suppress(FileExistsError):
            item.mkdir(mode=0o700)
        with contextlib.suppress(OSError):
            item.chmod(0o700)  # mkdir's mode is cut by the umask
    if tighten and not missing:
        with contextlib.suppress(OSError):
            if folder.stat().st_uid == os.getuid() and not folder.stat().st_mode & 0o1000:
                folder.chmod(0o700)


def archive(path: Path, sha256: str, archive_dir: Path) -> Path:
    """Keep the original bytes, keyed by hash (written atomically, once), readable by the
    owner only (0600 in 0700 folders)."""
    target = archive_dir / sha256[:2] / f"{sha256}{path.suffix.lower()}"
    if not target.exists():
        owner_only(archive_dir)
        owner_only(target.parent)
        partial = target.with_name(f".{target.name}.{os.getpid()}.part")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "wb") as out, path.open("rb") as source:
            shutil.copyfileobj(source, out, 1 << 20)
        os.replace(partial, target)
    return target


def clean_partial_copies(archive_dir: Path) -> list[Path]:
    """Delete the `.part` files a killed run left in the archive (called inside the ingest
    lock: no other ingest of this installation is copying). Returns what was deleted."""
    removed = []
    if archive_dir.is_dir():
        for partial in archive_dir.glob("*/.*.part"):
            with contextlib.suppress(FileNotFoundError):
                partial.unlink()
                removed.append(partial)
    return removed


def ingest_paths(
    paths: Iterable[Path],
    *,
    warehouse: Path,
    home: Path,
    on_file: Callable[[FileResult], None] | None = None,
    on_wait: Callable[[str], None] | None = None,
    salt: str | None = None,
    bounds: limits.Limits | None = None,
) -> list[FileResult]:
    """Load every export file under `paths` into the raw layer of `warehouse`. Every entry
    found gets a FileResult (`on_file` is called with each); `on_wait` is told when ingest waits
    for another ingest or for the warehouse (default: a logged warning). Personal data are
    hashed with `salt` (the settings' NEWMEDIA_SALT), else with the installation's key file.
    `bounds` are the limits of one file and the lock timeout (the settings' NEWMEDIA_MAX_* and
    NEWMEDIA_LOCK_TIMEOUT; default: `limits.Limits()`)."""
    entries = scan(paths)
    bounds = bounds or limits.Limits()
    owner_only(home, tighten=False)
    salt_bytes = installation_salt(home, salt)
    results: list[FileResult] = []
    with ingest_lock(home, bounds.lock_timeout, on_wait):
        clean_partial_copies(home / "archive")
        con = raw.connect(warehouse, timeout=bounds.lock_timeout, on_wait=on_wait)
        try:
            raw.ensure_all(con)
            for path, zone in entries:
                result = _ingest_entry(con, path, zone, home / "archive", salt_bytes, bounds)
                results.append(result)
                if on_file is not None:
                    on_file(result)
        finally:
            con.close()
    return results


def _ingest_entry(
    con, path: Path, zone: Path, archive_dir: Path, salt: bytes, bounds: limits.Limits
) -> FileResult:
    """One entry: a link, a hidden or unfinished file gets its status without being read."""
    folder_platform, account = location_of(path)
    verdict = preflight(path, zone)
    if verdict is None:
        return _ingest_file(con, path, archive_dir, salt, bounds)
    status, reason = verdict
    if status != "quarantined":
        return FileResult(str(path), "", folder_platform, None, account, status, 0, reason)
    # a link out of the landing zone: its target is never read, so its ledger row is keyed by
    # the link itself (where it is, where it points)
    key = hashlib.sha256(f"link\0{path}\0{os.readlink(path)}".encode()).hexdigest()
    raw.record_file(
        con,
        sha256=key,
        path=path,
        size_bytes=0,
        platform=folder_platform,
        report=None,
        account_id=account,
        snapshot_date=None,
        status=status,
        rows=0,
        reason=reason,
        archive_path=Path(""),
        ingested_at=dt.datetime.now(SHANGHAI),
    )
    return FileResult(str(path), key, folder_platform, None, account, status, 0, reason)


def _ingest_file(
    con, path: Path, archive_dir: Path, salt: bytes, bounds: limits.Limits
) -> FileResult:
    folder_platform, account = location_of(path)
    try:
        sha256 = sha256_of(path)
    except OSError as exc:  # no permission, vanished, a broken link: say so, go on, retry next run
        reason = f"{path.name}: the file cannot be read ({exc.strerror or exc}); nothing loaded"
        return FileResult(str(path), "", folder_platform, None, account, "unreadable", 0, reason)
    if raw.loaded_status(con, sha256) == "loaded":
        return FileResult(str(path), sha256, folder_platform, None, account, "duplicate", 0, None)
    try:
        archived = archive(path, sha256, archive_dir)
    except OSError as exc:  # vanished or replaced by a link since it was hashed: next run
        reason = f"{path.name}: the file cannot be read ({exc.strerror or exc}); nothing loaded"
        return FileResult(str(path), "", folder_platform, None, account, "unreadable", 0, reason)
    snapshot = snapshot_date_of(path)
    now = dt.datetime.now(SHANGHAI)
    detection: Detection | None = None
    try:
        tables = open_tables(path, bounds)
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
        left_out: list[tuple[int, str]] = []
        by_name = {c.name: c for c in spec.columns}
        keys = [
            label
            for label, name in detection.mapping.items()
            if (by_name[name].required or by_name[name].not_null)
            and by_name[name].kind in ("id", "timestamp", "date")
        ]
        try:
            table = tables[detection.table_index]
            labels = header_labels(table.head[detection.header_index])
            for chunk in table.chunks(detection.header_index):
                cells = chunk.frame
                # a CSV chunk's text cells (Arrow) answer two questions faster than its frame
                if chunk.cells is None or not check_cells(chunk.cells, labels, table.limits):
                    check_frame(cells, labels, table.limits)
                if chunk.cells is None or nondata.may_hold(chunk.cells, labels):
                    cells, notes = nondata.split(cells, labels, keys)
                    left_out += notes
                if not len(cells):
                    continue
                converted = spec.convert(cells, detection.mapping, salt)
                rows += raw.insert_rows(con, spec, converted, lineage)
            if rows == 0:
                raise RowError("the export holds a header but no data rows")
            note = personal.mask_text(nondata.describe(left_out), salt) if left_out else None
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
                reason=note,
                archive_path=archived,
                ingested_at=now,
            )
            con.commit()
        except BaseException:
            con.rollback()
            raise
        return FileResult(
            str(path), sha256, spec.platform, spec.report, account, "loaded", rows, note
        )
    except duckdb.Error:
        raise  # the warehouse itself (a lock held too long, a full disk): not this file's fault
    except BaseException as exc:
        if not _file_error(exc):
            raise
        # a reason quotes a cell: personal data in it is masked like in the data
        reason = personal.mask_text(f"{path.name}: {_plain(exc)}", salt)
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


def _file_error(exc: BaseException) -> bool:
    """True for an error that one file caused: ours, a bound the reader hit, or a reader
    library's own failure on bytes it cannot take (a Rust reader's panic included): the file is
    quarantined (and tried again next run) and the others go on. Not an interrupt or exit."""
    if isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit)):
        return False
    return isinstance(exc, Exception) or type(exc).__name__ == "PanicException"


def _plain(exc: BaseException) -> str:
    """A reason from an error: ours say what to do; a bound the reader hit says which; a
    reader library's failure is named as it is."""
    if isinstance(exc, MemoryError):
        return (
            "the file needs more memory than this machine has to read; nothing loaded: export a "
            "shorter date range, or lower the NEWMEDIA_MAX_* limits so it is refused sooner"
        )
    if isinstance(exc, RecursionError):
        return "the file nests its data too deep to read (NEWMEDIA_MAX_JSON_DEPTH); nothing loaded"
    if isinstance(exc, (FileFormatError, RowError, _Unrecognised)):
        return str(exc)
    return (
        f"the file cannot be read ({type(exc).__name__}: {str(exc)[:200]}); nothing loaded: "
        "check that it is an export as downloaded (download it again), and tell the data team "
        "if it is"
    )


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
