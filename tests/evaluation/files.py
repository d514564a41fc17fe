"""Results files as schools' information systems export them."""

import csv
import io
from io import StringIO

from django.core.management import call_command
from openpyxl import Workbook
from stdnum.gb import upn

HEADER = ["UPN", "Forename", "Surname", "DOB", "URN", "Year Group", "Pupil Premium", "SEN",
          "EAL", "Gender", "Scaled Score", "TA"]  # fmt: skip


def make_upn(serial: int, la: int = 316) -> str:
    body = f"{la:03d}2001{serial // 1000 % 100:02d}{serial % 1000:03d}"
    return upn.calc_check_digit(body) + body


def pupil_row(serial: int, urn: int, **overrides) -> dict:
    row = {
        "UPN": make_upn(serial),
        "Forename": f"Zoë{serial}",
        "Surname": "O’Connor",
        "DOB": "2017-03-14",
        "URN": str(urn),
        "Year Group": "Year 2",
        "Pupil Premium": "Y" if serial % 3 == 0 else "N",
        "SEN": "K" if serial % 5 == 0 else "",
        "EAL": "N",
        "Gender": "F" if serial % 2 else "M",
        "Scaled Score": str(95 + serial % 20),
        "TA": "",
    }
    row.update(overrides)
    return row


def results_csv(rows: list[dict], encoding: str = "utf-8", header=HEADER, delimiter=",") -> bytes:
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=header, extrasaction="ignore", delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def results_xlsx(rows: list[dict], header=HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append([_typed(row.get(column, "")) for column in header])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _typed(value: str):
    # Excel holds numbers as numbers: a URN or score arrives as 100001.0 or 104.
    try:
        return int(value)
    except ValueError:
        return value


def import_file(tmp_path, world, content: bytes, *extra, name: str = "results.csv"):
    """`import_assessments` of `content` (saved as `name`) into the world's baseline window:
    (what it printed, what it printed as errors)."""
    path = tmp_path / name
    path.write_bytes(content)
    out, err = StringIO(), StringIO()
    args = [str(path), "--programme", world.programme.slug, "--window", "baseline", *extra]
    call_command("import_assessments", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()
