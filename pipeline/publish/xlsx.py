"""The analyst tables as one Excel workbook: one sheet per table, readable as it opens.

Research offices share tables as workbooks, and a spreadsheet guesses types: `+4561905081`
becomes a number and loses its plus, `1.10` becomes 1.1. So every text column is written
as text (cells formatted `@`), numbers stay numbers, the header row is frozen, columns are
sized to their content, and headers are in Chinese or English (`--lang`).

A worksheet cannot hold a control character (openpyxl refuses ESC, BEL, NUL …), and text
from a PDF may carry one: such a character is written as the escape the console shows
(`\\x1b`), and the cell gets a comment saying so; the workbook is always written.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from ..console import printable

# headers in Chinese; a column missing here keeps its English name (tests check every column has one)
HEADERS_ZH = {
    "edition": "批次", "id": "方向编号", "direction_id": "方向编号", "title": "方向名称", "partner_name": "合作方",
    "iso_code": "国家/地区代码", "organisation": "国际组织代码", "partner_code": "合作方代码",
    "budget_cny": "拟支持经费（元）", "budget_per_project_cny_min": "每项目经费下限（元）",
    "budget_per_project_cny_max": "每项目经费上限（元）", "per_project_cap_cny": "单项目资助上限（元）",
    "pc_min": "项目数下限", "pc_max": "项目数上限", "pc_low": "最少项目数", "pc_high": "最多项目数",
    "pc_problem": "项目数问题", "pc_approximate": "项目数为约数", "agreement_count": "合作协议数",
    "field_count": "领域数", "fields_unrestricted": "不限领域", "requirement_count": "要求条数",
    "max_duration_years": "最长执行期（年）", "contact_count": "联系人数", "pages": "页码",
    "name": "名称", "honorific": "称谓", "phone": "电话（E.164）", "phone_text": "电话（原文）", "email": "邮箱",
    "phone_problem": "电话问题", "side": "所属方", "phone_extension": "分机号", "phone_region_source": "电话归属依据",
    "china_side_problem": "中方电话问题", "missing_sections": "缺少的栏目", "requirement_numbering": "申报要求编号问题",
    "direction_numbering": "方向编号问题", "duration_problem": "执行期问题", "radical_problem": "部首码位问题",
    "contact_problem": "联系人问题", "url": "网址", "number": "序号", "text": "内容", "topics": "主题",
    "description": "说明", "lead_enterprise": "企业可牵头", "lead_university": "高校可牵头",
    "lead_research_institute": "科研院所可牵头", "joint_application_required": "须双方联合申报",
    "ip_agreement_required": "须签知识产权协议", "matching_funds_required": "须配套资金",
    "partner_constraints": "外方限制", "rule_sources": "依据的要求序号",
}
SHEETS_ZH = {"directions": "方向", "contacts": "联系人", "urls": "网址", "requirements": "要求", "fields": "领域",
             "eligibility": "申报资格"}
MAX_WIDTH = 60
ESCAPED_NOTE = "control characters in this text are written as escapes (\\x1b …): a worksheet cannot hold them"


def _width(value) -> int:
    """Display width: a CJK character takes two columns."""
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _cell(value):
    """A pandas value as a cell value: missing → empty; numpy scalars → Python."""
    import pandas as pd

    if value is None or (not isinstance(value, (list, dict, str)) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def cell_text(text: str) -> tuple[str, bool]:
    """Text as a worksheet can hold it (control characters as escapes, as the console writes them), and whether
    anything was escaped."""
    shown = printable(text)
    return shown, shown != text


def frames_to_workbook(frames: dict, lang: str = "en"):
    """{table: DataFrame} → an openpyxl Workbook (one sheet per table)."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from pandas.api.types import is_bool_dtype, is_numeric_dtype

    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, frame in frames.items():
        sheet = workbook.create_sheet(SHEETS_ZH.get(name, name) if lang == "zh" else name)
        headers = [HEADERS_ZH.get(c, c) if lang == "zh" else c for c in frame.columns]
        sheet.append(headers)
        text_columns = [not (is_numeric_dtype(frame[c]) or is_bool_dtype(frame[c])) for c in frame.columns]
        for row in frame.itertuples(index=False):
            values = [_cell(v) for v in row]
            cells = [None if v is None else (cell_text(str(v)) if text else (v, False))
                     for v, text in zip(values, text_columns)]
            sheet.append([None if c is None else c[0] for c in cells])
            for j, c in enumerate(cells, start=1):
                if c is not None and c[1]:
                    sheet.cell(row=sheet.max_row, column=j).comment = Comment(ESCAPED_NOTE, "guidelines")
        for j, (column, text) in enumerate(zip(frame.columns, text_columns), start=1):
            letter = get_column_letter(j)
            widest = max([_width(headers[j - 1])] + [_width(v) for v in frame[column].tolist()[:2000]])
            sheet.column_dimensions[letter].width = min(MAX_WIDTH, widest + 2)
            if text:
                for cell in sheet[letter][1:]:
                    cell.number_format = "@"  # text: a phone keeps its +, an id its trailing zero
                    if cell.data_type == "f":  # openpyxl makes "=…" a formula: text from a PDF never runs
                        cell.data_type = "s"
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    return workbook


def write_workbook(frames: dict, path: Path, lang: str = "en") -> Path:
    frames_to_workbook(frames, lang).save(path)
    return Path(path)
