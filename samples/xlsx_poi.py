"""A minimal xlsx writer that reproduces the Apache POI workbooks of the 小红书 export.

Inline strings (``t="inlineStr"``), numbers written as Java doubles ("12235.0"), an optional
banner merged across the header width, fixed zip timestamps and creation date: the same rows
give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from xml.sax.saxutils import escape

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="no"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default ContentType="application/vnd.openxmlformats-package.relationships+xml" Extension="rels"/>'
    '<Default ContentType="application/xml" Extension="xml"/>'
    '<Override ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml" PartName="/docProps/app.xml"/>'
    '<Override ContentType="application/vnd.openxmlformats-package.core-properties+xml" PartName="/docProps/core.xml"/>'
    '<Override ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml" PartName="/xl/sharedStrings.xml"/>'
    '<Override ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml" PartName="/xl/styles.xml"/>'
    '<Override ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml" PartName="/xl/workbook.xml"/>'
    '<Override ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml" PartName="/xl/worksheets/sheet1.xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="no"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="xl/workbook.xml" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
    '<Relationship Id="rId2" Target="docProps/app.xml" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties"/>'
    '<Relationship Id="rId3" Target="docProps/core.xml" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"/></Relationships>'
)
_APP = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>Apache POI</Application></Properties>"
)
_CORE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="no"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    '<dcterms:created xsi:type="dcterms:W3CDTF">{created}</dcterms:created><dc:creator>Apache POI</dc:creator></cp:coreProperties>'
)
_SST = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<sst count="0" uniqueCount="0" xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>'
)
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="0"/><fonts count="3"><font><sz val="11.0"/><color indexed="8"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font>'
    '<font><name val="宋体"/><sz val="14.0"/><b val="true"/></font><font><name val="Calibri"/><sz val="11.0"/></font></fonts>'
    '<fills count="4"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="darkGray"/></fill>'
    '<fill><patternFill patternType="solid"/></fill><fill><patternFill patternType="solid"><fgColor indexed="22"/></patternFill></fill></fills>'
    '<borders count="5"><border><left/><right/><top/><bottom/><diagonal/></border><border><left style="thin"/></border>'
    '<border><left style="thin"/><right style="thin"/></border><border><left style="thin"/><right style="thin"/><top style="thin"/></border>'
    '<border><left style="thin"/><right style="thin"/><top style="thin"/><bottom style="thin"/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="3">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="3" borderId="4" xfId="0" applyBorder="true" applyFill="true" applyFont="true">'
    '<alignment horizontal="center" wrapText="true" vertical="center"/><protection locked="true"/></xf>'
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="true"/></cellXfs></styleSheet>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><workbookPr date1904="false"/>'
    '<bookViews><workbookView activeTab="0"/></bookViews><sheets><sheet name="{sheet}" r:id="rId3" sheetId="1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="no"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="sharedStrings.xml" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
    '<Relationship Id="rId2" Target="styles.xml" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"/>'
    '<Relationship Id="rId3" Target="worksheets/sheet1.xml" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/></Relationships>'
)


def col_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _cell(ref: str, value: object, style: int) -> str:
    if value is None:
        return f'<c r="{ref}" s="{style}"/>'
    if isinstance(value, bool):
        value = str(value)
    if isinstance(value, int | float):
        return f'<c r="{ref}" s="{style}" t="n"><v>{float(value)!r}</v></c>'
    return f'<c r="{ref}" s="{style}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def write_poi_xlsx(
    path: Path,
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    created: dt.datetime,
    banner: str | None = None,
    sheet: str = "Sheet1",
) -> None:
    """Write one sheet: optional banner row merged across the header, header row, data rows.

    Numbers become Java-style doubles ("12235.0"), ``None`` an empty cell, text inline strings.
    """
    letters = [col_letter(i) for i in range(len(header))]
    parts: list[str] = []
    r = 0

    def add_row(values: Sequence[object], style: int) -> None:
        nonlocal r
        r += 1
        cells = "".join(_cell(f"{letters[i]}{r}", v, style) for i, v in enumerate(values))
        parts.append(f'\n<row r="{r}" customHeight="true" ht="20.0">\n{cells}</row>')

    if banner is not None:
        add_row([banner] * len(header), 1)
    add_row(list(header), 1)
    for row in rows:
        add_row(row, 2)
    cols = "".join(
        f'<col min="{i}" max="{i}" width="25.0" customWidth="true"/>'
        for i in range(1, len(header) + 1)
    )
    merge = (
        f'<mergeCells count="1"><mergeCell ref="A1:{letters[-1]}1"/></mergeCells>'
        if banner is not None
        else ""
    )
    sheet_xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="A1:{letters[-1]}{r}"/><sheetViews><sheetView workbookViewId="0" tabSelected="true"/></sheetViews>'
        f'<sheetFormatPr defaultRowHeight="15.0"/><cols>{cols}</cols><sheetData>{"".join(parts)}\n</sheetData>{merge}'
        '<pageMargins bottom="0.75" footer="0.3" header="0.3" left="0.7" right="0.7" top="0.75"/></worksheet>'
    )
    utc = created.astimezone(dt.UTC)
    stamp = created.replace(tzinfo=None).timetuple()[:6]
    files = [
        ("[Content_Types].xml", _CONTENT_TYPES),
        ("_rels/.rels", _RELS),
        ("docProps/app.xml", _APP),
        ("docProps/core.xml", _CORE.format(created=utc.strftime("%Y-%m-%dT%H:%M:%SZ"))),
        ("xl/sharedStrings.xml", _SST),
        ("xl/styles.xml", _STYLES),
        ("xl/workbook.xml", _WORKBOOK.format(sheet=escape(sheet))),
        ("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS),
        ("xl/worksheets/sheet1.xml", sheet_xml),
    ]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in files:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, text.encode("utf-8"))
