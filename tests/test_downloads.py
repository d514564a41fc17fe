"""One way to download a table: every CSV and Excel download of the portal is written by
mathsprog.exports, whose cells can never run as formulas. Found two ways: in the source (no
other module makes a download) and by asking every URL of the permission matrix, and every
table its page marks for download, as a site admin, who may open them all."""

import csv
import io
import re
from pathlib import Path

from django.core.files.base import ContentFile
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from evaluation import services
from evaluation.models import AssessmentWindow, UploadStatus
from mathsprog import exports
from mathsprog.exports import FORMULA_STARTS

from . import test_permission_matrix
from .evaluation.files import make_upn
from .permission_matrix import MATRIX

ROOT = Path(__file__).resolve().parent.parent
# PDFs are drawn pages, not tables: nothing in them runs as a formula.
MAKERS = {Path("mathsprog/exports.py"), Path("mathsprog/pdf.py")}
FORMULA = '=HYPERLINK("http://x")'
# Some of the downloads the walk must find: views that answer with a file, and pages with
# tables marked for download (the upload's problems, the enrolments).
KNOWN = {"evaluation:upload_errors", "evaluation:template_csv", "evaluation:template_xlsx",
         "evaluation:report_csv", "evaluation:upload", "dashboards:enrolments",
         # every list on a table class (accounts.downloads.table_download)
         "audit_log", "programmes:list", "programmes:comparison", "programmes:strands",
         "workgroups:list", "workgroups:detail", "workgroups:events", "schools:list",
         "schools:register_import_new", "schools:staff", "evaluation:uploads",
         "evaluation:report_failures", "visits:list", "visits:action_plan",
         "workgroups:event", "workgroups:cpd_coverage"}  # fmt: skip

kwargs = test_permission_matrix.kwargs  # the fixture: one of every object, in and out of scope


class Written(HttpResponse):
    """A response made by mathsprog.exports (see the test below)."""


def test_no_module_but_the_writers_makes_a_download():
    packages = [p for p in ROOT.iterdir() if (p / "__init__.py").exists() and p.name != "tests"]
    makers = {
        path.relative_to(ROOT)
        for package in packages
        for path in package.rglob("*.py")
        if "Content-Disposition" in path.read_text()
    }
    assert {package.name for package in packages} >= {"evaluation", "mathsprog", "schools"}
    assert makers == MAKERS


def _invalid_upload(world) -> dict:
    """An upload of school A whose error shows a formula the file held."""
    window = AssessmentWindow.objects.get(programme=world.programme, slug="baseline")
    quoted = FORMULA.replace('"', '""')
    content = f'UPN,URN,Year,PP,Score\r\n{make_upn(1)},"{quoted}",2,N,104\r\n'
    upload = services.upload_store(
        uploaded_by=None,
        window=window,
        school=world.school_a,
        file=ContentFile(content.encode(), name="r.csv"),
    )
    services.upload_validate(upload=upload)
    upload.refresh_from_db()
    assert upload.status == UploadStatus.INVALID
    return {"pk": upload.pk}


def _answers(client: Client, url: str):
    """The page, and every download it offers: its marked tables, and ?format= itself."""
    page = client.get(url)
    yield page
    # The tables it offers for download, by their download links.
    html = page.content.decode(errors="replace")
    marked = set(re.findall(r"[?&;]export=([^&\"]+)&amp;format=", html))
    for query in [f"export={name}&format={kind}" for name in marked for kind in ("csv", "xlsx")]:
        yield client.get(f"{url}?{query}")
    yield client.get(f"{url}?format=xlsx")


def _cells(response) -> list:
    if response["Content-Type"].startswith("text/csv"):
        rows = csv.reader(io.StringIO(response.content.decode("utf-8-sig")))
        return [cell for row in rows for cell in row]
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    return [cell for row in sheet.iter_rows(values_only=True) for cell in row]


def _formula(cell: str) -> bool:
    """A text cell that a spreadsheet would run. A number in a CSV (-1.25) is a number."""
    try:
        float(cell)
    except ValueError:
        return cell.startswith(FORMULA_STARTS)
    return False


def test_every_download_is_written_by_the_one_writer(world, kwargs, monkeypatch):
    monkeypatch.setattr(exports, "HttpResponse", Written)
    world.school_a.name = "=cmd|' /C calc'!A0"
    world.school_a.save()
    kwargs["upload"] = _invalid_upload(world)
    client = Client()
    client.force_login(world.admin)
    downloads = {}
    for name, rule in sorted(MATRIX.items()):
        if rule.method != "get":
            continue
        for response in _answers(client, reverse(name, kwargs=kwargs.get(rule.inside, {}))):
            made = response.get("Content-Disposition", "")
            if made.startswith("attachment") and response["Content-Type"] != "application/pdf":
                downloads[name, made] = response
    for (name, made), response in downloads.items():
        assert isinstance(response, Written), f"{name}: {made} is not written by the writer"
        cells = _cells(response)
        assert not [c for c in cells if isinstance(c, str) and _formula(c)]
    assert {name for name, _ in downloads} >= KNOWN  # the walk does find the downloads
    errors = f'attachment; filename="errors-{kwargs["upload"]["pk"]}.csv"'
    assert "'" + FORMULA in _cells(downloads["evaluation:upload_errors", errors])
