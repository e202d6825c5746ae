"""The `newmedia` command line: generate-exports, ingest, build, report, run, sentiment."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections import Counter
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from newmedia.settings import get_settings

console = Console(stderr=True)
#: ingest's statuses, in the order the summary line counts them, with their colour
STATUS_COLOURS = {
    "loaded": "green",
    "duplicate": "yellow",
    "quarantined": "red",
    "unreadable": "red",
    "skipped": "yellow",
}


def _fail(message: str) -> None:
    console.print(f"[bold red]error:[/] {message}")
    sys.exit(1)


def _progress(label: str) -> Progress:
    """A progress bar on the terminal (none when the output is not one)."""
    return Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=console,
        disable=not console.is_terminal,
    )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """newmedia-warehouse: platform exports → raw layer → dbt marts → gates → reports."""


@main.command("generate-exports")
@click.option("--out", type=click.Path(path_type=Path), default=None, help="Landing zone to write.")
@click.option("--start", type=click.DateTime(["%Y-%m-%d"]), default=None, help="First day.")
@click.option("--weeks", type=click.IntRange(1, 520), default=8, show_default=True)
@click.option("--scale", type=click.FloatRange(0.01, 10000), default=1.0, show_default=True)
@click.option("--seed", type=int, default=7, show_default=True)
def generate_exports_command(
    out: Path | None, start: dt.datetime | None, weeks: int, scale: float, seed: int
) -> None:
    """Write realistic sample exports for every platform, in their real forms."""
    try:
        from samples import default_start, generate_exports
    except ImportError as exc:  # the production image leaves the dev tool out
        raise click.ClickException(
            "the sample-export generator (samples/) is a development tool and is not installed "
            "here: run it from a clone of the repository"
        ) from exc

    out = out or get_settings().exports
    first = start.date() if start else default_start(weeks)
    with console.status(f"writing sample exports to {out} …"):
        dataset = generate_exports(out, first, weeks, scale=scale, seed=seed)
    files = [p for p in out.rglob("*") if p.is_file()]
    console.print(
        f"wrote {len(files)} files under {out} ({first} + {weeks} weeks, scale {scale}, seed {seed};"
        f" {len(dataset.contents)} contents)"
    )


@main.command("ingest")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per file.")
def ingest_command(paths: tuple[Path, ...], as_json: bool) -> None:
    """Load export files or folders (default: the landing zone) into the raw layer."""
    import duckdb
    import psycopg2

    from ingest.loader import iter_files
    from newmedia.tasks import ingest_files

    try:
        settings = get_settings()
        if settings.home.exists() and not settings.home.is_dir():
            raise NotADirectoryError(f"NEWMEDIA_HOME {settings.home} is a file, not a folder")
        targets = list(paths) or [settings.exports]
        total = sum(1 for _ in iter_files(targets))
    except (OSError, ValueError) as exc:
        _fail(f"ingest could not run: {exc}")
    with _progress("ingest") as progress:
        bar = progress.add_task("", total=total)

        def advance(result) -> None:
            progress.update(bar, advance=1, description=Path(result.path).name)

        def waiting(message: str) -> None:
            console.print(f"[yellow]waiting:[/] {escape(message)}")

        try:
            results = ingest_files(targets, settings, on_file=advance, on_wait=waiting)
        except duckdb.Error as exc:  # e.g. another process held the warehouse past the timeout
            _fail(f"ingest could not run: the warehouse {settings.warehouse_path}: {exc}")
        except psycopg2.Error as exc:  # only the mirror talks to PostgreSQL, after the load
            _fail(f"ingest loaded DuckDB but could not copy to PostgreSQL: {exc}")
        except (OSError, RuntimeError, ValueError) as exc:
            _fail(f"ingest could not run: {exc}")
    if as_json:
        click.echo(json.dumps({"files": [r.as_dict() for r in results]}, ensure_ascii=False))
        return
    for r in results:
        line = f"[{STATUS_COLOURS[r.status]}]{r.status:11}[/] {escape(r.path)}  rows={r.rows}"
        console.print(line + (f"\n            {escape(r.reason)}" if r.reason else ""))
    counts = Counter(r.status for r in results)
    console.print(f"{len(results)} files: " + ", ".join(f"{counts[s]} {s}" for s in STATUS_COLOURS))


@main.command("build")
def build_command() -> None:
    """Run `dbt build` and then the Great Expectations gates."""
    from expectations import GateFailedError
    from newmedia.tasks import prepare_warehouse, validate_marts
    from ops.dbt import DbtError, run_dbt

    settings = get_settings()
    try:
        prepare_warehouse(settings)
        console.print("dbt build …")
        run_dbt(settings, "build")
        with console.status("Great Expectations gates …"):
            results = validate_marts(settings)
    except (DbtError, GateFailedError) as exc:
        _fail(str(exc))
    passed = [r for r in results if r["success"]]
    warned = [r for r in results if not r["success"]]
    console.print(
        f"{len(passed)} gates passed ({sum(r['evaluated'] for r in passed)} checks)"
        + (f"; {len(warned)} warning gates failed:" if warned else "")
    )
    for result in warned:
        failed = ", ".join(f"{f['expectation']}({f['column'] or ''})" for f in result["failed"])
        console.print(f"[yellow]warning[/] {result['suite']}: {failed}")


@main.command("report")
@click.argument("kind", type=click.Choice(["weekly", "user-needs", "quarterly", "channel-pilot"]))
@click.option("--platform", help="channel-pilot: the pilot's platform id (douyin, kuaishou …).")
@click.option(
    "--account", help="channel-pilot: the pilot account (its folder in exports/<platform>/)."
)
@click.option(
    "--period",
    default=None,
    help="ISO week like 2026-W47 (weekly, user-needs) or quarter like 2026Q3 (quarterly); "
    "default: the latest complete one.",
)
@click.option(
    "--deliver/--no-deliver",
    default=False,
    show_default=True,
    help="Also send it: e-mail with the PDF (connection smtp_default) and the group robot "
    "(connection newmedia_webhook), from AIRFLOW_CONN_* variables.",
)
def report_command(
    kind: str, platform: str | None, account: str | None, period: str | None, deliver: bool
) -> None:
    """Render and publish a report: HTML, PDF and Excel under $NEWMEDIA_HOME/reports/<kind>/<period>/
    (channel-pilot: the 《新渠道可行性报告》 of --platform and --account, up to its latest week)."""
    import duckdb
    import psycopg2

    from newmedia.tasks import publish_channel_pilot, publish_report
    from reports import ReportHeldError
    from reports.base import MartMissingError
    from reports.charts import MissingCJKFontError
    from reports.chromium import ChromiumError
    from reports.delivery import DeliveryError
    from warehouse import WarehouseMissingError

    try:
        steps = 6 + (1 if deliver else 0)
        with _progress(f"report {kind}") as progress:
            bar = progress.add_task("", total=steps)

            def step(description: str) -> None:
                progress.update(bar, advance=1, description=description)
                if not console.is_terminal:
                    console.print(f"… {description}")

            if kind != "channel-pilot":
                result = publish_report(kind, period, deliver=deliver, progress=step)
            elif not platform or not account:
                raise ValueError("channel-pilot needs --platform and --account")
            else:
                result = publish_channel_pilot(platform, account, deliver=deliver, progress=step)
            progress.update(bar, completed=steps, description="done")
    except ReportHeldError as exc:
        _fail(f"the {kind} report is held by a failed quality gate, nothing was published:\n{exc}")
    except (ValueError, FileNotFoundError, MartMissingError, WarehouseMissingError) as exc:
        _fail(str(exc))
    except (MissingCJKFontError, ChromiumError) as exc:  # the PDF: no CJK font, no browser
        _fail(str(exc))
    except (duckdb.Error, psycopg2.Error) as exc:
        _fail(f"could not read the warehouse: {exc}")
    except DeliveryError as exc:
        _fail(f"the report was written but not delivered: {exc}")
    console.print(f"[green]report written[/]: {result['folder']}")
    for name in ("html", "pdf", "xlsx"):
        console.print(f"  {result[name]}")
    for line in result["summary"]:
        console.print(f"  · {line}")
    for channel, outcome in result.get("delivered", {}).items():
        console.print(f"  {channel}: {outcome.get('status')}")


@main.command("run")
@click.option("--date", "run_date", type=click.DateTime(["%Y-%m-%d"]), default=None)
@click.option("--dag", "dag_id", default=None, help="Run only this DAG (default: the pipeline).")
def run_command(run_date: dt.datetime | None, dag_id: str | None) -> None:
    """Run the pipeline once through the Airflow DAGs themselves (dag.test()): ingest_exports,
    transform_marts, reports_weekly, reports_quarterly."""
    from ops.progress import RunProgress
    from ops.runner import PipelineFailedError, latest_reports, run_dag, run_pipeline

    settings = get_settings()
    day = run_date.date() if run_date else None
    console.print(f"running the pipeline with dag.test() (NEWMEDIA_HOME={settings.home})")
    progress = RunProgress(console)
    failure = None
    with progress:
        try:
            if dag_id:
                run_dag(dag_id, settings, day, progress=progress)
            else:
                run_pipeline(settings, day, progress=progress)
        except PipelineFailedError as exc:
            failure = str(exc)
    for table in progress.summary():
        console.print(table)
    if failure:
        _fail(failure)
    console.print(f"warehouse: {settings.warehouse_path}")
    for kind, folder, files in latest_reports(settings.reports_dir):
        console.print(f"{kind} report: {folder}  ({', '.join(files)})")


@main.group("sentiment")
def sentiment_group() -> None:
    """The trained sentiment model: train, evaluate, classify a CSV."""


@sentiment_group.command("train")
@click.option(
    "--with-overrides",
    is_flag=True,
    help="Add the brand's manual overrides (the warehouse's sentiment_overrides) as training data.",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write the model (default: the packaged sentiment/data/model/sentiment.npz).",
)
def sentiment_train_command(with_overrides: bool, output: Path | None) -> None:
    """Rebuild the sentiment model from its sources, deterministically (needs the train extra)."""
    from sentiment.train import train

    con = None
    if with_overrides:
        import duckdb

        settings = get_settings()
        if not settings.warehouse_path.exists():
            _fail(f"no warehouse at {settings.warehouse_path}: run `newmedia build` first")
        con = duckdb.connect(str(settings.warehouse_path), read_only=True)
    try:
        with console.status("training the sentiment model …"):
            result = train(with_overrides=con, output=output)
    except RuntimeError as exc:
        _fail(str(exc))
    finally:
        if con is not None:
            con.close()
    console.print(f"wrote {result['path']}: {result['features']:,} n-grams, trained on")
    for source, count in result["examples"].items():  # type: ignore[union-attr]
        console.print(f"  {source}: {count:,} texts")


@sentiment_group.command("evaluate")
def sentiment_evaluate_command() -> None:
    """Print the model's figures on every held-out evaluation set."""
    from sentiment.evaluate import main as evaluate_main

    evaluate_main()


@sentiment_group.command("classify")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--column", default="text", show_default=True, help="The column holding the text.")
def sentiment_classify_command(source: Path, output: Path, column: str) -> None:
    """Label the texts of a CSV: every row and column kept, label / score / p_negative added."""
    from sentiment.batch import InputError, classify_csv

    try:
        rows = classify_csv(source, output, column)
    except InputError as exc:
        _fail(str(exc))
    console.print(f"labelled {rows:,} rows → {output}")


if __name__ == "__main__":
    main()
