"""The three formats as a reader gets them: each HTML opens in headless Chromium (Debian's
`chromium`) with no error, no request leaving the file and its charts drawn; the PDF's text
(`pdftotext`) holds the section titles and the marts' KPI values and its pages render to images
(`pdftoppm`); the workbook reads back with the marts' numbers and formula-like text neutralised.

The binaries are part of the project's setup (`make system-deps`): these tests fail, not skip,
when they are missing."""

from __future__ import annotations

import subprocess
from pathlib import Path

import openpyxl
import pytest
from PIL import Image

from reports import publish_report
from reports.chromium import inspect_page
from tests.reports.marts_fixture import (
    FORMULA_TITLE,
    QUARTER,
    WEEK,
    XSS_TITLE,
    copy_fixture_warehouse,
    kpi_value,
)

pytestmark = pytest.mark.slow

SECTIONS = {
    "weekly": [
        "数据复盘报告",
        "KPI 达成",
        "各平台表现",
        "热门与爆款内容",
        "高价值内容",
        "异常预警",
        "行动建议",
    ],
    "user-needs": [
        "用户需求周报",
        "需求话题分布",
        "话题趋势",
        "用户原声",
        "情感与负面响应",
        "给产品与市场团队的建议",
    ],
    "quarterly": [
        "新媒体趋势洞察报告",
        "分平台季度对比",
        "内容主题",
        "发布时间的变化",
        "渠道结构",
        "活动与达人合作",
        "A/B 测试结论",
    ],
}
PERIODS = {"weekly": WEEK, "user-needs": WEEK, "quarterly": QUARTER}
MIN_CHARTS = {"weekly": 5, "user-needs": 2, "quarterly": 4}


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory, fixture_warehouse: Path):
    home = tmp_path_factory.mktemp("formats_home")
    copy_fixture_warehouse(fixture_warehouse, home)
    return {kind: publish_report(kind, PERIODS[kind], home=home) for kind in PERIODS}


@pytest.mark.parametrize("kind", list(PERIODS))
def test_html_loads_in_chromium_with_its_charts(published, kind):
    page = inspect_page(published[kind].html)
    assert page.title == f"{published[kind].title} {PERIODS[kind]}"
    assert page.exceptions == [] and page.console_errors == []
    assert page.failed_requests == [] and page.remote_requests == []  # self-contained
    assert len(page.charts) >= MIN_CHARTS[kind]
    for chart in page.charts:
        assert chart["drawn"] and chart["width"] > 200 and chart["height"] > 80, chart
        assert chart["shapes"] > 20, chart  # bars, lines, glyphs of the Chinese labels
    for section in SECTIONS[kind]:
        assert section in page.text
    assert any("CJK" in f for f in page.fonts), page.fonts  # Chinese set in Noto Sans CJK


def _pdf_text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.mark.parametrize("kind", list(PERIODS))
def test_pdf_has_the_sections_and_renders(published, kind, tmp_path):
    pdf = published[kind].pdf
    assert pdf.read_bytes().startswith(b"%PDF")
    text = _pdf_text(pdf)
    for section in SECTIONS[kind]:
        assert section in text, section
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert pages
    for page in pages:
        image = Image.open(page).convert("L")
        dark = sum(1 for value in image.getdata() if value < 200)
        assert dark > 500, f"{page.name} looks blank"


def test_weekly_pdf_shows_the_marts_kpi_values(published):
    text = _pdf_text(published["weekly"].pdf)
    expected = [
        f"{kpi_value('views', WEEK):,}",
        f"{kpi_value('interaction_rate', WEEK) * 100:.2f}%",
        f"{kpi_value('net_follower_gain', WEEK):,}",
        f"{kpi_value('gmv', WEEK):,.2f}",
        f"{kpi_value('ad_spend', WEEK):,.2f}",
        f"{kpi_value('roi', WEEK):.2f}",
        f"{kpi_value('private_domain_users', WEEK):,}",
        f"{kpi_value('leads', WEEK):,}",
    ]
    assert expected[:2] == ["361,070", "2.24%"]
    for value in [*expected, "200,000", "禾野生活馆"]:
        assert value in text, value
    assert "2026-11-16 至 2026-11-22" in text


def test_workbook_reads_back(published):
    book = openpyxl.load_workbook(published["weekly"].xlsx)
    assert book.sheetnames[0] == "说明" and "KPI达成" in book.sheetnames
    sheet = book["KPI达成"]
    header = [c.value for c in sheet[1]]
    rows = {
        r[1]: dict(zip(header, r, strict=False))
        for r in sheet.iter_rows(min_row=2, values_only=True)
        if r[1]
    }
    assert rows["播放/阅读量"]["本周"] == 361_070
    assert rows["GMV（元）"]["本周"] == pytest.approx(124_469.33)
    assert sheet.cell(row=2, column=3).number_format == "#,##0"
    titles = [c.value for c in book["热门内容"]["C"][1:]]
    assert "'" + FORMULA_TITLE in titles  # neutralised, stays text
    assert XSS_TITLE in titles
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            for value in row:
                if isinstance(value, str):
                    assert not value.startswith(("=", "+", "-", "@")), (sheet.title, value)
    quotes = openpyxl.load_workbook(published["user-needs"].xlsx)["用户原声"]
    assert "'=1+1 支持支持" in [c.value for c in quotes["B"]]
