"""Every table can be downloaded as CSV or Excel: a table marked data-export="NAME" on a page
is sent as a file when the page is asked for with ?export=NAME&format=csv (or xlsx). The file
holds what the table shows, so what is withheld on the page is withheld in the file."""

from html.parser import HTMLParser

from .exports import csv_response, xlsx_response


class _TableReader(HTMLParser):
    def __init__(self, name: str):
        super().__init__()
        self.name = name
        self.depth = 0  # > 0 while inside the wanted table
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            if self.depth or attrs.get("data-export") == self.name:
                self.depth += 1
        elif self.depth == 1 and tag == "tr":
            self.rows.append([])
        elif self.depth == 1 and tag in ("td", "th"):
            self.cell = []
        elif tag == "br" and self.cell is not None:
            self.cell.append(" ")

    def handle_endtag(self, tag):
        if tag == "table" and self.depth:
            self.depth -= 1
        elif self.depth == 1 and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def table_rows(html: str, name: str) -> list[list[str]]:
    reader = _TableReader(name)
    reader.feed(html)
    return [row for row in reader.rows if row]


class TableExportMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        name = request.GET.get("export")
        wanted = request.GET.get("format")
        if not name or wanted not in ("csv", "xlsx") or response.status_code != 200:
            return response
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        rows = table_rows(response.content.decode(response.charset or "utf-8"), name)
        if not rows:
            return response
        header, body = rows[0], rows[1:]
        send = xlsx_response if wanted == "xlsx" else csv_response
        return send(f"{name}.{wanted}", header, body)
