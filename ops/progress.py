"""Progress of `newmedia run`: which DAG and task is running, done/total and elapsed time, read
from Airflow's metadata database while `dag.test()` runs, and a summary of durations at the end.

The runner calls `RunProgress.dag_started`/`update`/`dag_finished`; `poll_run` is the thread that
reads the task instances of the DAG run every half second."""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass, field

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
)
from rich.table import Table

#: states after which a task instance does not run again in this DAG run
FINISHED = frozenset({"success", "failed", "skipped", "upstream_failed", "removed"})
#: states of a task instance that has started and not finished (a sensor between two pokes is
#: up_for_reschedule; a deferred one waits in the triggerer)
ACTIVE = frozenset({"running", "up_for_reschedule", "deferred", "queued", "scheduled"})


@dataclass(frozen=True)
class TaskTiming:
    """One task instance of a DAG run: its state and seconds from its first start to its end."""

    dag_id: str
    task_id: str
    map_index: int
    state: str
    seconds: float | None

    @property
    def label(self) -> str:
        return self.task_id if self.map_index < 0 else f"{self.task_id}[{self.map_index}]"


@dataclass(frozen=True)
class RunSnapshot:
    """The task instances of one DAG run at one moment."""

    dag_id: str
    tasks: tuple[TaskTiming, ...]
    running: tuple[str, ...] = ()

    @property
    def total(self) -> int:
        return len(self.tasks)

    @property
    def done(self) -> int:
        return sum(t.state in FINISHED for t in self.tasks)

    @property
    def failed(self) -> int:
        return sum(t.state in {"failed", "upstream_failed"} for t in self.tasks)


@dataclass
class DagTiming:
    dag_id: str
    state: str
    seconds: float
    tasks: tuple[TaskTiming, ...] = ()


def _seconds(start: dt.datetime | None, end: dt.datetime | None) -> float | None:
    if start is None or end is None:
        return None
    return max((end - start).total_seconds(), 0.0)


def read_run(
    dag_id: str, logical_date: dt.datetime, since: dt.datetime | None = None
) -> RunSnapshot:
    """The task instances of the run of `dag_id` for `logical_date` (`dag.test()` makes one run
    per logical date and clears it when run again), from the metadata database; an instance
    that ended before `since` (an earlier run's, not cleared yet) counts as not run."""
    from airflow.models.dagrun import DagRun
    from airflow.models.taskinstance import TaskInstance
    from airflow.utils.session import create_session
    from sqlalchemy import select

    with create_session() as session:
        run_id = session.scalar(
            select(DagRun.run_id).where(
                DagRun.dag_id == dag_id, DagRun.logical_date == logical_date
            )
        )
        if run_id is None:
            return RunSnapshot(dag_id, ())
        rows = session.execute(
            select(
                TaskInstance.task_id,
                TaskInstance.map_index,
                TaskInstance.state,
                TaskInstance.start_date,
                TaskInstance.end_date,
            ).where(TaskInstance.dag_id == dag_id, TaskInstance.run_id == run_id)
        ).all()
    tasks = []
    running = []
    for task_id, map_index, state, start, end in rows:
        state = str(getattr(state, "value", state) or "none")
        if end is not None and end.tzinfo is None:
            end = end.replace(tzinfo=dt.UTC)
        if start is not None and start.tzinfo is None:
            start = start.replace(tzinfo=dt.UTC)
        if since is not None and end is not None and end < since:
            state = "none"
        finished = state in FINISHED
        tasks.append(
            TaskTiming(
                dag_id, task_id, map_index, state, _seconds(start, end) if finished else None
            )
        )
        if state == "running":
            running.append(task_id if map_index < 0 else f"{task_id}[{map_index}]")
    return RunSnapshot(dag_id, tuple(sorted(tasks, key=lambda t: t.label)), tuple(sorted(running)))


def poll_run(
    dag_id: str,
    logical_date: dt.datetime,
    on_snapshot,
    stop: threading.Event,
    every: float = 0.5,
    since: dt.datetime | None = None,
) -> threading.Thread:
    """Start a daemon thread that passes a `RunSnapshot` to `on_snapshot` every `every` seconds
    until `stop` is set. A failed read (the run not created yet, a locked SQLite file) is
    skipped: progress is a view, never a reason for the run to fail."""

    def loop() -> None:
        while not stop.wait(every):
            try:
                snapshot = read_run(dag_id, logical_date, since)
            except Exception:  # see the docstring
                continue
            if snapshot.tasks:
                on_snapshot(snapshot)

    thread = threading.Thread(target=loop, name=f"progress-{dag_id}", daemon=True)
    thread.start()
    return thread


@dataclass
class RunProgress:
    """A rich progress bar per DAG (name, done/total, elapsed, the running task), then a
    summary of the durations. Without a terminal it prints a line per DAG and the summary."""

    console: Console
    timings: list[DagTiming] = field(default_factory=list)
    _progress: Progress | None = None
    _bars: dict[str, TaskID] = field(default_factory=dict)
    _started: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __enter__(self) -> RunProgress:
        # bound to the stream as it is now: while a task runs in this process, Airflow points
        # sys.stdout/sys.stderr at the task's log, and the bar would be drawn into that log
        self.console = Console(
            file=self.console.file,
            force_terminal=self.console.is_terminal,
            width=None if self.console.is_terminal else self.console.width,
        )
        self._progress = Progress(
            TextColumn("[bold]{task.fields[dag]:<17}"),
            BarColumn(bar_width=30),
            MofNCompleteColumn(),
            TextColumn("[yellow]{task.fields[elapsed]:>7}"),
            TextColumn("{task.description}"),
            console=self.console,
            disable=not self.console.is_terminal,
            redirect_stdout=False,
            redirect_stderr=False,
        )
        self._progress.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        if self._progress is not None:
            self._progress.__exit__(*exc)

    def dag_started(self, dag_id: str) -> None:
        self._started[dag_id] = time.monotonic()
        if self._progress is not None and not self._progress.disable:
            self._bars[dag_id] = self._progress.add_task(
                "starting …", total=None, dag=dag_id, elapsed=_clock(0.0)
            )
        else:
            self.console.print(f"[bold]DAG {dag_id}[/] …")

    def update(self, snapshot: RunSnapshot) -> None:
        bar = self._bars.get(snapshot.dag_id)
        if bar is None or self._progress is None:
            return
        running = ", ".join(snapshot.running[:2]) or "waiting"
        if len(snapshot.running) > 2:
            running += f" +{len(snapshot.running) - 2}"
        failed = f"[red]{snapshot.failed} failed[/] " if snapshot.failed else ""
        elapsed = _clock(time.monotonic() - self._started[snapshot.dag_id])
        with self._lock:
            self._progress.update(
                bar,
                total=snapshot.total,
                completed=snapshot.done,
                description=failed + running,
                elapsed=elapsed,
                refresh=True,
            )

    def dag_finished(self, dag_id: str, state: str, snapshot: RunSnapshot | None) -> DagTiming:
        seconds = time.monotonic() - self._started.get(dag_id, time.monotonic())
        timing = DagTiming(dag_id, state, seconds, snapshot.tasks if snapshot else ())
        self.timings.append(timing)
        bar = self._bars.get(dag_id)
        if bar is not None and self._progress is not None:
            done = snapshot.done if snapshot else 0
            total = snapshot.total if snapshot else 0
            colour = "green" if state == "success" else "red"
            with self._lock:
                self._progress.update(
                    bar,
                    total=total,
                    completed=done,
                    description=f"[{colour}]{state}[/]",
                    elapsed=_clock(seconds),
                    refresh=True,
                )
                self._progress.stop_task(bar)
        else:
            tasks = f", {len(timing.tasks)} tasks" if timing.tasks else ""
            self.console.print(f"DAG {dag_id}: {state} in {_clock(seconds)}{tasks}")
        return timing

    def summary(self, slowest: int = 8) -> list[Table]:
        """A table of the DAGs' durations and one of the slowest tasks over all of them."""
        dags = Table(title="DAG runs", title_justify="left")
        dags.add_column("DAG")
        dags.add_column("state")
        dags.add_column("tasks", justify="right")
        dags.add_column("duration", justify="right")
        for timing in self.timings:
            dags.add_row(
                timing.dag_id, timing.state, str(len(timing.tasks)), _clock(timing.seconds)
            )
        total = sum(t.seconds for t in self.timings)
        dags.add_row("[bold]total[/]", "", "", f"[bold]{_clock(total)}[/]")
        tasks = [t for timing in self.timings for t in timing.tasks if t.seconds is not None]
        tasks.sort(key=lambda t: t.seconds or 0.0, reverse=True)
        slow = Table(title=f"slowest {min(slowest, len(tasks))} tasks", title_justify="left")
        slow.add_column("DAG")
        slow.add_column("task")
        slow.add_column("state")
        slow.add_column("duration", justify="right")
        for task in tasks[:slowest]:
            slow.add_row(task.dag_id, task.label, task.state, _clock(task.seconds or 0.0))
        return [dags, slow]


def _clock(seconds: float) -> str:
    minutes, rest = divmod(seconds, 60)
    return f"{int(minutes)}:{rest:04.1f}" if minutes else f"{rest:.1f} s"
