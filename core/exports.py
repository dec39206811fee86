"""The one writer for every CSV and XLSX file the site hands out.

Every table that leaves the site as a spreadsheet is written here: the case export
(``schools.exports``), the alliance registrations, the question bank, and every export of
Wagtail's own listings (``SpreadsheetExportMixin``: enrolments, quiz attempts, the course and
quiz reports, item analysis, form submissions, Wagtail's reports), which
``install_wagtail_export_writer`` routes through this module when the ``core`` app is ready.

Two rules, for every cell:

* **Formula defusing.** Names, schools and answers are typed by the public; a spreadsheet
  program runs a cell that begins with ``=``, ``+``, ``-`` or ``@`` (also after leading
  spaces, and in their full-width forms ``＝＋－＠`` that Chinese input methods type), or with a
  tab or carriage return, as a formula. Such a cell gets a leading apostrophe (the OWASP
  advice), so it is shown as the text it is. ``undo_safe_cell`` reverses exactly that, for
  files that come back in (the question bank import).
* **Encoding.** CSV is UTF-8 with a byte-order mark, so spreadsheet programs read Chinese
  text right. In XLSX every text cell is written as a string cell, never as a formula, and
  characters the XLSX format cannot hold (control characters) are dropped instead of
  failing the whole export.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable, Iterable, Iterator
from typing import IO, TYPE_CHECKING, Any, TypeVar, overload

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.encoding import force_str
from django.utils.functional import Promise

if TYPE_CHECKING:
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

_T = TypeVar("_T")

BOM = "\ufeff"
# What a spreadsheet reads as the start of a formula, after any leading whitespace.
FORMULA_CHARACTERS = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20", "\ufe62", "\ufe63", "\ufe66")
# Control characters that start a cell on their own (and that ``str.lstrip`` would hide).
FORMULA_CONTROLS = ("\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet program could run ``text`` as a formula."""
    return text.startswith(FORMULA_CONTROLS) or text.lstrip().startswith(FORMULA_CHARACTERS)


@overload
def safe_cell(value: str | Promise) -> str: ...
@overload
def safe_cell(value: _T) -> _T: ...
def safe_cell(value: object) -> object:
    """A cell's value as it may be written: text that looks like a formula gets a leading quote."""
    if isinstance(value, Promise):
        value = force_str(value)
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value


@overload
def undo_safe_cell(value: str) -> str: ...
@overload
def undo_safe_cell(value: _T) -> _T: ...
def undo_safe_cell(value: object) -> object:
    """The text ``safe_cell`` was given, for a cell read back from one of our files."""
    if isinstance(value, str) and value.startswith("'") and is_formula_like(value[1:]):
        return value[1:]
    return value


class _Echo:
    """A file-like object whose ``write`` returns what it was given (for streaming CSV)."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: Iterable[object], rows: Iterable[Iterable[object]]) -> Iterator[str]:
    """The CSV file line by line (for a streaming response); the first line starts with the BOM."""
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow([safe_cell(value) for value in header])
    for values in rows:
        yield writer.writerow([safe_cell(value) for value in values])


def table_to_csv(header: Iterable[object], rows: Iterable[Iterable[object]]) -> bytes:
    """The whole CSV file: UTF-8 with a byte-order mark, every cell through ``safe_cell``."""
    return "".join(csv_lines(header, rows)).encode("utf-8")


def _xlsx_text(value: str) -> str:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    text: str = ILLEGAL_CHARACTERS_RE.sub("", safe_cell(value))
    return text


def xlsx_cells(sheet: WriteOnlyWorksheet, values: Iterable[object], date_format: str | None = None) -> list[Any]:
    """One row of write-only cells: text always as a string cell, never a formula."""
    from openpyxl.cell import WriteOnlyCell

    cells = []
    for value in values:
        if isinstance(value, Promise):
            value = force_str(value)
        if isinstance(value, str):
            cell = WriteOnlyCell(sheet, _xlsx_text(value))
            cell.data_type = "s"
        else:
            cell = WriteOnlyCell(sheet, value)
            if cell.data_type == "f":  # pragma: no cover - only text can be a formula
                cell.data_type = "s"
            if date_format and isinstance(value, datetime.datetime):
                cell.number_format = date_format
        cells.append(cell)
    return cells


def write_xlsx(
    header: Iterable[object],
    rows: Iterable[Iterable[object]],
    output: str | IO[bytes],
    title: str = "",
    date_format: str | None = None,
) -> None:
    """One worksheet named ``title`` (cut to Excel's 31 characters, without the ones it refuses)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True, iso_dates=True)
    clean_title = "".join(char for char in force_str(title) if char not in "[]:*?/\\")
    sheet = workbook.create_sheet(title=clean_title[:31] or "Sheet1")
    sheet.append(xlsx_cells(sheet, header))
    for values in rows:
        sheet.append(xlsx_cells(sheet, values, date_format))
    workbook.save(output)


def table_to_xlsx(header: Iterable[object], rows: Iterable[Iterable[object]], title: str = "") -> bytes:
    buffer = io.BytesIO()
    write_xlsx(header, rows, buffer, title)
    return buffer.getvalue()


# --- Wagtail's SpreadsheetExportMixin -------------------------------------------------------


def _wagtail_rows(view: SpreadsheetExportMixin, queryset: QuerySet[Any], export_format: str) -> Iterator[list[Any]]:
    for item in queryset:
        row = view.to_row_dict(item)
        yield [view.preprocess_field_value(field, row.get(field, ""), export_format) for field in view.list_export]


def _stream_csv(self: SpreadsheetExportMixin, queryset: QuerySet[Any]) -> Iterator[str]:
    header = [self.get_heading(queryset, field) for field in self.list_export]
    return csv_lines(header, _wagtail_rows(self, queryset, self.FORMAT_CSV))


def _write_xlsx(self: SpreadsheetExportMixin, queryset: QuerySet[Any], output: IO[bytes]) -> None:
    from wagtail.admin.views.mixins import ExcelDateFormatter

    header = [self.get_heading(queryset, field) for field in self.list_export]
    rows = _wagtail_rows(self, queryset, self.FORMAT_XLSX)
    write_xlsx(header, rows, output, "Sheet1", date_format=ExcelDateFormatter().get())


def _write_csv_response(self: SpreadsheetExportMixin, queryset: QuerySet[Any]) -> HttpResponse:
    assert _original_write_csv_response is not None  # installed before any export runs
    response = _original_write_csv_response(self, queryset)
    response["Content-Type"] = CSV_CONTENT_TYPE
    return response


_original_write_csv_response: Callable[[SpreadsheetExportMixin, QuerySet[Any]], HttpResponse] | None = None


def install_wagtail_export_writer() -> None:
    """Makes every Wagtail listing export (``?export=csv|xlsx``) write through this module.

    Wagtail's ``SpreadsheetExportMixin`` writes CSV without a byte-order mark and does not
    defuse formulas in CSV; its views (``ModelViewSet`` indexes, reports, form submissions)
    have no other hook shared by all of them, so the two writing methods are replaced here,
    once, at start-up. Each view's own choice of columns, headings and value formatting
    (``to_row_dict``, ``get_heading``, ``preprocess_field_value``) is kept.
    """
    global _original_write_csv_response
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    if SpreadsheetExportMixin.stream_csv is _stream_csv:
        return
    _original_write_csv_response = SpreadsheetExportMixin.write_csv_response
    SpreadsheetExportMixin.stream_csv = _stream_csv
    SpreadsheetExportMixin.write_xlsx = _write_xlsx
    SpreadsheetExportMixin.write_csv_response = _write_csv_response
