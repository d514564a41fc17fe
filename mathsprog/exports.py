import csv
import datetime
import decimal
import io

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBERS = (int, float, decimal.Decimal)


def neutralise(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _local(value: datetime.datetime) -> datetime.datetime:
    """Excel has no time zones: a moment is written as London's clock showed it."""
    return timezone.localtime(value) if timezone.is_aware(value) else value


def _number(value) -> bool:
    # True and False are ints to Python, but words on the page.
    return isinstance(value, NUMBERS) and not isinstance(value, bool)


def csv_cell(value) -> str:
    """A number as its digits (a number never runs as a formula, even a negative one), a date
    or moment as ISO text, anything else neutralised text."""
    if _number(value):
        return str(value)
    if isinstance(value, datetime.datetime):
        return _local(value).isoformat(timespec="seconds")
    return neutralise(value)


def xlsx_cell(value):
    """Numbers stay numbers and dates real dates in Excel; text is neutralised."""
    if _number(value):
        return value
    if isinstance(value, datetime.datetime):
        return _local(value).replace(tzinfo=None)
    if isinstance(value, datetime.date):
        return value
    return neutralise(value)


def csv_response(filename: str, header: list[str], rows, notes=()) -> HttpResponse:
    """A CSV download that opens cleanly in Excel (UTF-8 with a BOM) and whose cells can never
    run as formulas. `notes`, if any, follow the table, a row each."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows([csv_cell(value) for value in row] for row in rows)
    writer.writerows([neutralise(note)] for note in notes)
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(filename: str, header: list[str], rows, notes=()) -> HttpResponse:
    """The same table as an Excel workbook, streamed row by row (write-only), text cells
    neutralised as in CSV."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Data")
    sheet.append(header)
    for row in rows:
        sheet.append([xlsx_cell(value) for value in row])
    for note in notes:
        sheet.append([neutralise(note)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def table_response(request, name: str, header: list[str], rows, notes=()) -> HttpResponse:
    """?format=xlsx gives the workbook; anything else the CSV."""
    if request.GET.get("format") == "xlsx":
        return xlsx_response(f"{name}.xlsx", header, rows, notes)
    return csv_response(f"{name}.csv", header, rows, notes)
