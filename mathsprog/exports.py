import csv
import io

from django.http import HttpResponse
from openpyxl import Workbook

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_response(filename: str, header: list[str], rows, notes=()) -> HttpResponse:
    """A CSV download that opens cleanly in Excel (UTF-8 with a BOM) and whose cells can never
    run as formulas. `notes`, if any, follow the table, a row each."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows([neutralise(value) for value in row] for row in rows)
    writer.writerows([neutralise(note)] for note in notes)
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(filename: str, header: list[str], rows, notes=()) -> HttpResponse:
    """The same table as an Excel workbook, streamed row by row (write-only), cells
    neutralised as in CSV."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Data")
    sheet.append(header)
    for row in rows:
        sheet.append(
            [value if isinstance(value, int | float) else neutralise(value) for value in row]
        )
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


def whole_list(request, name: str, header: list[str], row_of, rows) -> HttpResponse | None:
    """The download of a paginated list's table (?export=NAME): every row of the list, not
    the page on screen, read straight from the query. (TableExportMiddleware reads a page's
    HTML, which holds one page.) None when the request is for the page itself."""
    if request.GET.get("export") != name:
        return None
    return table_response(request, name, header, map(row_of, rows.iterator(chunk_size=2000)))
