"""Without a CJK font or Chromium the reports fail loudly, naming the package to install."""

from __future__ import annotations

import re

import pytest
from matplotlib import font_manager

from reports import charts, chromium


def test_missing_cjk_font_is_an_error(monkeypatch):
    charts.cjk_font.cache_clear()
    monkeypatch.setattr(font_manager.fontManager, "ttflist", [])
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda *a, **k: [])
    try:
        with pytest.raises(charts.MissingCJKFontError, match="fonts-noto-cjk"):
            charts.bars("标题", ["抖音"], {"播放": [1]})
    finally:
        monkeypatch.undo()
        charts.cjk_font.cache_clear()
    assert charts.cjk_font().startswith("Noto Sans CJK")  # the installed one is found again


def test_missing_chromium_is_an_error(monkeypatch):
    monkeypatch.setattr(chromium.shutil, "which", lambda _name: None)
    with pytest.raises(chromium.ChromiumError, match="apt-get install chromium"):
        chromium.find_chromium()


def test_charts_are_self_contained_svg():
    svg = charts.lines("近 4 周 <趋势>", ["W1", "W2"], {"抖音": [1, 2], "小红书": [None, 3]})
    assert svg.startswith("<svg") and 'aria-label="近 4 周 &lt;趋势&gt;"' in svg
    assert "<text" not in svg  # glyphs drawn as paths: no font needed to read it
    assert "<metadata" not in svg
    assert not re.search(r"(href|src)=\"https?:|url\(https?:", svg)  # nothing to fetch


def test_chart_labels_from_the_data_cannot_inject_markup():
    svg = charts.bars("话题", ["--><script>alert(1)</script><!--", "<b>x</b>"], {"条数": [1, 2]})
    assert "<script" not in svg and "<b>" not in svg
