"""Reading back the lists' downloads (accounts.downloads.table_download) in tests."""

import csv
import io

from openpyxl import load_workbook


def csv_rows(client, url: str, name: str) -> list[list[str]]:
    """The rows of the CSV download of the table called `name` on the page at `url`."""
    joiner = "&" if "?" in url else "?"
    response = client.get(f"{url}{joiner}export={name}&format=csv")
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def xlsx_rows(client, url: str, name: str) -> list[tuple]:
    """The rows of the Excel download of the table called `name`, with the cells' types."""
    joiner = "&" if "?" in url else "?"
    response = client.get(f"{url}{joiner}export={name}&format=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    return list(book.worksheets[0].iter_rows(values_only=True))
