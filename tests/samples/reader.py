"""An 'ideal reader' of the cell forms, for comparing the files with the dataset."""

from __future__ import annotations

import re
from decimal import Decimal


def number(cell: object) -> int | float | None:
    """A count or decimal as a file states it: 12235.0, "1,234", "1.2万", "3.1w", "10万+", "-"."""
    if cell is None:
        return None
    if isinstance(cell, int | float):
        return int(cell) if float(cell).is_integer() else float(cell)
    text = str(cell).strip().replace(",", "")
    if text in {"", "-"}:
        return None
    text = text.rstrip("+")
    for unit, mult in (("万", 10_000), ("w", 10_000), ("W", 10_000)):
        if text.endswith(unit):
            return int(Decimal(text[:-1]) * mult)
    value = Decimal(text)
    return int(value) if value == value.to_integral_value() else float(value)


def rate(cell: object) -> float | None:
    """ "28.64%" -> 0.2864; a number stays a fraction; "-" -> None."""
    if cell is None:
        return None
    if isinstance(cell, int | float):
        return float(cell)
    text = str(cell).strip()
    if text in {"", "-"}:
        return None
    if text.endswith("%"):
        return float(Decimal(text[:-1]) / 100)
    return float(Decimal(text))


def seconds(cell: object) -> float | None:
    """ "14.73秒", "00:52", 14.7 -> seconds."""
    if cell is None:
        return None
    if isinstance(cell, int | float):
        return float(cell)
    text = str(cell).strip()
    if text in {"", "-"}:
        return None
    if text.endswith("秒"):
        return float(Decimal(text[:-1]))
    if re.fullmatch(r"\d+(:\d\d)+", text):
        total = 0
        for part in text.split(":"):
            total = total * 60 + int(part)
        return float(total)
    return float(Decimal(text))


def stars(cell: object) -> float | None:
    text = str(cell).strip()
    return None if text in {"", "-"} else float(Decimal(text.removesuffix("星")))
