"""Charts: matplotlib drawn to SVG and inlined into the HTML, so a report opens with its charts
and no network, no JavaScript and no font of the reader's machine: the text of a chart is drawn
as glyph outlines (matplotlib's svg.fonttype "path") from a CJK font found on this machine.

The font is Noto Sans CJK (Debian package fonts-noto-cjk, installed by `make system-deps`);
without a CJK font matplotlib would draw Chinese as empty boxes, so drawing fails with
MissingCJKFontError instead.
"""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Sequence
from functools import lru_cache

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from markupsafe import Markup
from matplotlib import font_manager
from matplotlib.ticker import FuncFormatter

CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
)
PALETTE = ["#2f6fbd", "#e07b39", "#3a9d5d", "#c0392b", "#8e6bbf", "#6d7f8f", "#d4a017", "#1f9e9e"]
_ids = itertools.count(1)


class MissingCJKFontError(RuntimeError):
    """No font that draws Chinese is installed."""


@lru_cache(maxsize=1)
def cjk_font() -> str:
    """The family name of an installed CJK font; raises MissingCJKFontError when there is none."""
    installed = {f.name for f in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        if family in installed:
            return family
    # a font installed after matplotlib built its cache: look at the files themselves
    for path in font_manager.findSystemFonts():
        if "notosanscjk" in path.lower().replace("-", "").replace("_", ""):
            font_manager.fontManager.addfont(path)
            installed = {f.name for f in font_manager.fontManager.ttflist}
            for family in CJK_FAMILIES:
                if family in installed:
                    return family
    raise MissingCJKFontError(
        "no Chinese (CJK) font is installed, so the charts and the PDF cannot show Chinese text: "
        "install the Debian package fonts-noto-cjk (`make system-deps`, or "
        "`apt-get install fonts-noto-cjk`)"
    )


def _setup() -> None:
    family = cjk_font()
    plt.rcParams.update(
        {
            "font.family": "sans-serif",
            "font.sans-serif": [family, "DejaVu Sans"],
            "axes.unicode_minus": False,
            "svg.fonttype": "path",
            "svg.hashsalt": "newmedia-reports",
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.edgecolor": "#9aa5b1",
            "axes.labelcolor": "#323f4b",
            "xtick.color": "#52606d",
            "ytick.color": "#52606d",
            "axes.grid": True,
            "grid.color": "#e4e7eb",
            "grid.linewidth": 0.8,
            "axes.axisbelow": True,
            "font.size": 9.5,
            "axes.titlesize": 11,
            "legend.frameon": False,
        }
    )


def _svg(fig, title: str) -> Markup:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    text = re.sub(r"<metadata>.*?</metadata>\s*", "", text, flags=re.DOTALL)
    # several charts share one page: give each its own ids
    prefix = f"c{next(_ids)}-"
    text = re.sub(r'\bid="', f'id="{prefix}', text)
    text = text.replace('xlink:href="#', f'xlink:href="#{prefix}').replace(
        "url(#", f"url(#{prefix}"
    )
    text = text.replace("<svg ", f'<svg class="chart" role="img" aria-label="{_attr(title)}" ', 1)
    return Markup(text)


def _attr(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
    )


def _formatter(kind: str) -> FuncFormatter:
    def fmt(value: float, _pos: int) -> str:
        if kind == "pct":
            return f"{value * 100:.0f}%"
        if abs(value) >= 10_000:
            return f"{value / 10_000:,.1f}万".replace(".0万", "万")
        return f"{value:,.0f}"

    return FuncFormatter(fmt)


def _short(value: float | None, kind: str) -> str:
    if value is None or value != value:
        return ""
    value = float(value)
    if kind == "pct":
        return f"{value * 100:.1f}%" if abs(value) < 0.1 else f"{value * 100:.0f}%"
    if abs(value) >= 10_000:
        return f"{value / 10_000:,.1f}万"
    return f"{value:,.0f}" if abs(value) >= 10 or value.is_integer() else f"{value:.2f}"


def _clean(values: Sequence[float | None]) -> list[float]:
    out = []
    for v in values:
        try:
            out.append(float(v) if v is not None and v == v else 0.0)
        except (TypeError, ValueError):
            out.append(0.0)
    return out


def bars(
    title: str,
    categories: Sequence[str],
    series: dict[str, Sequence[float | None]],
    *,
    kind: str = "count",
    horizontal: bool = False,
    reference: float | None = None,
    reference_label: str = "",
    colors: Sequence[str] | None = None,
    clip: float | None = None,
    width: float = 7.2,
    height: float = 3.0,
) -> Markup:
    """Grouped bars, one group per category and one bar per series; `kind` "pct" for rates;
    `colors` colours the bars of a single series one by one; `clip` cuts bars longer than it
    (their labels keep the true value)."""
    _setup()
    fig, ax = plt.subplots(figsize=(width, height))
    n = max(len(series), 1)
    span = 0.8 / n
    positions = range(len(categories))
    for i, (name, values) in enumerate(series.items()):
        offsets = [p - 0.4 + span * (i + 0.5) for p in positions]
        draw = ax.barh if horizontal else ax.bar
        colour = list(colors) if colors and len(series) == 1 else PALETTE[i % len(PALETTE)]
        lengths = _clean(values)
        if clip is not None:
            lengths = [min(v, clip) for v in lengths]
        drawn = draw(offsets, lengths, span * 0.92, label=name, color=colour)
        if len(categories) <= 12 and len(series) <= 2:
            labels = [_short(v, kind) for v in values]
            ax.bar_label(drawn, labels=labels, padding=2, fontsize=7.5, color="#52606d")
    if horizontal:
        ax.set_yticks(list(positions), list(categories))
        ax.invert_yaxis()
        ax.xaxis.set_major_formatter(_formatter(kind))
        ax.grid(axis="y", visible=False)
    else:
        ax.set_xticks(list(positions), list(categories))
        ax.yaxis.set_major_formatter(_formatter(kind))
        ax.grid(axis="x", visible=False)
    if reference is not None:
        line = ax.axvline if horizontal else ax.axhline
        line(reference, color="#c0392b", linestyle="--", linewidth=1, label=reference_label or None)
    ax.set_title(title, loc="left")
    ax.margins(x=0.12) if horizontal else ax.margins(y=0.15)
    if len(series) > 1 or reference_label:
        ax.legend(loc="best", fontsize=8.5)
    return _svg(fig, title)


def lines(
    title: str,
    x: Sequence[str],
    series: dict[str, Sequence[float | None]],
    *,
    kind: str = "count",
    width: float = 7.2,
    height: float = 3.0,
) -> Markup:
    """One line per series over the labels `x` (weeks, hours …); gaps where a value is missing."""
    _setup()
    fig, ax = plt.subplots(figsize=(width, height))
    for i, (name, values) in enumerate(series.items()):
        ys = [float(v) if v is not None and v == v else float("nan") for v in values]
        ax.plot(
            list(range(len(x))),
            ys,
            marker="o",
            markersize=3.5,
            linewidth=1.8,
            label=name,
            color=PALETTE[i % len(PALETTE)],
        )
    step = max(1, len(x) // 12)
    ax.set_xticks(list(range(0, len(x), step)), [x[i] for i in range(0, len(x), step)])
    ax.yaxis.set_major_formatter(_formatter(kind))
    ax.grid(axis="x", visible=False)
    ax.set_title(title, loc="left")
    if series:
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8.5)
    return _svg(fig, title)


def stacked_shares(
    title: str,
    categories: Sequence[str],
    series: dict[str, Sequence[float | None]],
    *,
    width: float = 7.2,
    height: float = 2.6,
) -> Markup:
    """Horizontal 100 % bars: each category's split over the series (channel mix)."""
    _setup()
    fig, ax = plt.subplots(figsize=(width, height))
    totals = [sum(_clean(vals)) for vals in zip(*series.values(), strict=True)] if series else []
    left = [0.0] * len(categories)
    for i, (name, values) in enumerate(series.items()):
        shares = [v / t if t else 0.0 for v, t in zip(_clean(values), totals, strict=True)]
        ax.barh(
            list(range(len(categories))),
            shares,
            0.6,
            left=left,
            label=name,
            color=PALETTE[i % len(PALETTE)],
        )
        for j, share in enumerate(shares):
            if share >= 0.06:
                ax.text(
                    left[j] + share / 2,
                    j,
                    f"{share * 100:.0f}%",
                    ha="center",
                    va="center",
                    color="white",
                    fontsize=8,
                )
        left = [a + b for a, b in zip(left, shares, strict=True)]
    ax.set_yticks(list(range(len(categories))), list(categories))
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(_formatter("pct"))
    ax.grid(visible=False)
    ax.set_title(title, loc="left")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8.5)
    return _svg(fig, title)
