"""How fast the trained classifier labels texts: ``python -m sentiment.bench [N]`` (default 1M;
``make bench-sentiment``). One process, so one core (numpy's work here is single-threaded).

Two figures: `classify_many` over N distinct short texts (the hand-labelled texts, each made
distinct by a suffix: every text is scored, none is deduplicated), and `label_new_texts` over a
scratch DuckDB warehouse holding those N texts as comments (the query of the texts without a
label, classification and the insert, as prepare_warehouse runs it).
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from sentiment.classifier import classify_many
from sentiment.evaluate import load_labelled

SUFFIXES = ("", "！", "～", "😂", "[赞]", "。。", "?")


def distinct_texts(n: int, seed: int = 1) -> list[str]:
    """N distinct texts of about 16 characters built from the labelled texts."""
    base = [t.text for t in load_labelled()]
    rng = random.Random(seed)
    return [f"{rng.choice(base)}{rng.choice(SUFFIXES)}{i}" for i in range(n)]


def bench_classify(texts: list[str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds `classify_many` takes over `texts` (one process: the CPU
    seconds are what one core spends, whatever else runs on the machine)."""
    started, cpu = time.perf_counter(), time.process_time()
    classify_many(texts)
    return time.perf_counter() - started, time.process_time() - cpu


def bench_store(texts: list[str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds `label_new_texts` takes to label `texts` stored as comments in
    a scratch warehouse (the CPU seconds of all the process's threads, DuckDB's included)."""
    from ingest.raw import connect, ensure_all
    from sentiment.store import label_new_texts

    with tempfile.TemporaryDirectory(prefix="sentiment-bench-") as scratch:
        con = connect(Path(scratch) / "warehouse.duckdb")
        try:
            ensure_all(con)
            frame = pd.DataFrame({"content": texts})
            con.register("_bench_texts", frame)
            con.execute(
                "insert into raw.douyin__comments (_file_sha256, _file_name, _row_number, "
                "_report_type, _platform, _account_id, _snapshot_date, _ingested_at, content) "
                "select repeat('a', 64), 'bench.csv', row_number() over (), 'comments', "
                "'douyin', 'bench', current_date, now(), content from _bench_texts"
            )
            con.unregister("_bench_texts")
            started, cpu = time.perf_counter(), time.process_time()
            labelled = label_new_texts(con)["texts"]
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        finally:
            con.close()
    assert labelled == len(set(texts))
    return elapsed, cpu


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    n = int(args[0]) if args else 1_000_000
    texts = distinct_texts(n)
    chars = sum(map(len, texts)) / n
    seconds, cpu = bench_classify(texts)
    print(
        f"classify_many: {n:,} distinct texts (avg {chars:.1f} chars) in {seconds:.1f} s, "
        f"{n / seconds:,.0f} texts/s; {cpu:.1f} CPU s, {n / cpu:,.0f} texts per CPU second "
        f"(load average {os.getloadavg()[0]:.1f})"
    )
    seconds, cpu = bench_store(texts)
    print(
        f"label_new_texts: {n:,} new comment texts in a DuckDB warehouse in {seconds:.1f} s "
        f"wall-clock ({seconds / 60:.1f} min; target 5 min), {n / seconds:,.0f} texts/s; "
        f"{cpu:.1f} CPU s (load average {os.getloadavg()[0]:.1f})"
    )


if __name__ == "__main__":
    main()
