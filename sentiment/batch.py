"""Label a CSV of texts by hand (``newmedia sentiment classify IN.csv --output OUT.csv``): the
input's rows, in their order, with every column kept and `label`, `score` and `p_negative`
added (replaced when the input has them already)."""

from __future__ import annotations

import csv
from pathlib import Path

from sentiment.classifier import classify_many

TEXT_COLUMN = "text"
ADDED = ("label", "score", "p_negative")
EXTRA = "\0extra"  # where csv puts the fields past the header


class InputError(ValueError):
    """A CSV that cannot be labelled (the message names the file, and the row where one is at
    fault)."""


def classify_csv(source: Path, output: Path, column: str = TEXT_COLUMN) -> int:
    """Write `output`: the rows of `source` with the labels of their `column`. Returns the
    number of rows. Reads UTF-8 (with or without a BOM); a row with more fields than the header
    is an error naming its line."""
    try:
        content = source.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"{source}: not UTF-8 text ({error})") from None
    reader = csv.DictReader(content.splitlines(keepends=True), restkey=EXTRA)
    header = reader.fieldnames or []
    if column not in header:
        raise InputError(f"{source}: no column {column!r} (columns: {', '.join(header) or 'none'})")
    rows = []
    for row in reader:
        if EXTRA in row:
            extra = row[EXTRA]
            raise InputError(
                f"{source}, line {reader.line_num}: {len(header) + len(extra)} fields "
                f"where the header has {len(header)}: {extra!r}"
            )
        rows.append(row)
    labelled = classify_many([row[column] or "" for row in rows])
    fields = [name for name in header if name not in ADDED] + list(ADDED)
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(
            handle, fieldnames=fields, extrasaction="ignore", lineterminator="\n"
        )
        writer.writeheader()
        for row, label, score, p_negative in zip(
            rows, labelled["label"], labelled["score"], labelled["p_negative"], strict=True
        ):
            writer.writerow({**row, "label": label, "score": score, "p_negative": p_negative})
    return len(rows)
