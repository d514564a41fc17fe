import hmac
import logging
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.urls import reverse

from evaluation.models import AssessmentWindow, Pupil, PupilYear, Result, UploadStatus
from evaluation.pseudonym import upn_hash

from .files import make_upn, pupil_row, results_csv, results_xlsx
from .stored import in_database

KEY = settings.PUPIL_KEY_SECRET.encode()


def _results() -> dict:
    return {
        (r.pupil.upn_hash, r.window.slug): (r.score, r.standard)
        for r in Result.objects.select_related("pupil", "window")
    }


def _file(world, school_c, n=6, **overrides):
    urns = [world.school_a.urn, school_c.urn]
    return [pupil_row(serial, urns[serial % 2], **overrides) for serial in range(n)]


def test_it_checks_previews_and_imports_a_file(client, world, window, school_c, send_file, act):
    client.force_login(world.hub_lead)
    upload = send_file(window, results_csv(_file(world, school_c)))
    assert upload.status == UploadStatus.READY
    assert Result.objects.count() == 0  # nothing written before confirmation
    page = client.get(upload.get_absolute_url()).content.decode()
    assert "Here is what importing it will change" in page
    by_school = {s["urn"]: s for s in upload.summary["schools"]}
    assert by_school[world.school_a.urn]["created"] == 3
    assert upload.summary["totals"] == {
        "rows": 6,
        "new_pupils": 6,
        "created": 6,
        "updated": 0,
        "unchanged": 0,
    }

    page = act(upload, "confirm")
    assert upload.status == UploadStatus.IMPORTED
    assert (upload.created, upload.updated, upload.unchanged, upload.new_pupils) == (6, 0, 0, 6)
    assert upload.imported_by == world.hub_lead
    assert "Imported" in page
    assert "6 new results" in page
    programme = world.programme.pk
    assert _results()[(upn_hash(make_upn(1), programme_id=programme), "baseline")] == (
        Decimal("96.0"),
        "",
    )
    year = PupilYear.objects.get(pupil__upn_hash=upn_hash(make_upn(0), programme_id=programme))
    assert (year.academic_year, year.school, year.year_group) == (2025, world.school_a, 2)
    assert (year.disadvantaged, year.send, year.eal, year.gender) == (True, "K", False, "M")


def test_it_changes_nothing_when_the_same_file_comes_again(
    client, world, window, school_c, send_file, act
):
    client.force_login(world.hub_lead)
    content = results_csv(_file(world, school_c))
    act(send_file(window, content), "confirm")
    before = (
        _results(),
        list(PupilYear.objects.values_list("pupil", "school", "year_group", "send")),
    )
    again = send_file(window, content)
    assert again.summary["totals"]["unchanged"] == 6
    assert again.summary["same_file_imported_at"]
    assert (
        "importing it again changes nothing"
        in client.get(again.get_absolute_url()).content.decode()
    )
    act(again, "confirm")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 6)
    after = (
        _results(),
        list(PupilYear.objects.values_list("pupil", "school", "year_group", "send")),
    )
    assert after == before


def test_it_updates_what_a_corrected_file_changes(client, world, window, school_c, send_file, act):
    client.force_login(world.hub_lead)
    rows = _file(world, school_c)
    act(send_file(window, results_csv(rows)), "confirm")
    rows[1]["Scaled Score"] = "111"
    rows[2]["Pupil Premium"] = "Y" if rows[2]["Pupil Premium"] == "N" else "N"
    rows.append(pupil_row(99, world.school_a.urn))
    corrected = send_file(window, results_csv(rows), name="corrected.csv")
    assert corrected.summary["totals"] == {
        "rows": 7,
        "new_pupils": 1,
        "created": 1,
        "updated": 2,
        "unchanged": 4,
    }
    act(corrected, "confirm")
    pupil = upn_hash(make_upn(1), programme_id=world.programme.pk)
    assert _results()[(pupil, "baseline")] == (Decimal("111.0"), "")
    assert Result.objects.count() == 7


def test_it_rolls_an_upload_back_whole(client, world, window, school_c, send_file, act):
    client.force_login(world.hub_lead)
    rows = _file(world, school_c)
    first = send_file(window, results_csv(rows))
    act(first, "confirm")
    before = (_results(), list(PupilYear.objects.order_by("pk").values_list()))
    rows[1]["Scaled Score"] = "111"
    rows[3]["SEN"] = "E"
    rows.append(pupil_row(99, world.school_a.urn))
    second = send_file(window, results_csv(rows), name="second.csv")
    act(second, "confirm")
    assert Result.objects.count() == 7
    page = act(first, "rollback")
    assert "second.csv was imported later for the same year: roll that back first." in page
    assert first.status == UploadStatus.IMPORTED
    act(second, "rollback")
    assert second.status == UploadStatus.ROLLED_BACK
    assert (_results(), list(PupilYear.objects.order_by("pk").values_list())) == before
    assert not Pupil.objects.filter(
        upn_hash=upn_hash(make_upn(99), programme_id=world.programme.pk)
    ).exists()
    act(first, "rollback")
    assert Result.objects.count() == 0
    assert Pupil.objects.count() == 0
    assert PupilYear.objects.count() == 0


def test_a_file_with_one_bad_row_changes_nothing(client, world, window, school_c, send_file):
    client.force_login(world.hub_lead)
    rows = _file(world, school_c, n=8)
    rows[4]["Scaled Score"] = "1000"
    rows[6]["Year Group"] = "Year 20"
    upload = send_file(window, results_csv(rows))
    assert upload.status == UploadStatus.INVALID
    assert (upload.error_count, Result.objects.count(), Pupil.objects.count()) == (2, 0, 0)
    page = client.get(upload.get_absolute_url()).content.decode()
    assert "Nothing has been saved: 2 problems to fix in 8 rows." in page
    assert (
        "<td>6</td><td>Scaled Score</td><td>1000</td>"
        "<td>Is outside this assessment&#x27;s scale, 80 to 120</td>" in page
    )
    errors = client.get(reverse("evaluation:upload_errors", args=[upload.pk]))
    report = errors.content.decode("utf-8-sig")  # with a byte-order mark, as every CSV download
    assert report.splitlines() == [
        "Row,Column,Value,Problem",
        '6,Scaled Score,1000,"is outside this assessment\'s scale, 80 to 120"',
        '8,Year Group,Year 20,"a year group is R or 1 to 13 '
        '(""Year 6"", ""Y6"" and ""6"" all work)"',
    ]
    assert client.post(reverse("evaluation:upload_confirm", args=[upload.pk])).status_code == 302
    upload.refresh_from_db()
    assert upload.status == UploadStatus.INVALID


def test_it_imports_a_workbook(client, world, window, school_c, send_file, act):
    client.force_login(world.hub_lead)
    upload = send_file(window, results_xlsx(_file(world, school_c)), name="results.xlsx")
    act(upload, "confirm")
    assert upload.status == UploadStatus.IMPORTED
    assert Result.objects.count() == 6


def test_it_takes_comparison_schools_results(client, world, window, comparison, send_file, act):
    client.force_login(world.hub_lead)
    upload = send_file(window, results_csv([pupil_row(1, comparison.urn)]))
    act(upload, "confirm")
    assert PupilYear.objects.get().school == comparison


def test_no_upn_or_name_reaches_the_database_or_the_logs(
    client, world, window, school_c, send_file, act, caplog
):
    caplog.set_level(logging.DEBUG)
    client.force_login(world.hub_lead)
    rows = _file(world, school_c)
    bad = [*rows, pupil_row(50, 999999)]
    send_file(window, results_csv(bad))
    act(send_file(window, results_csv(rows)), "confirm")
    secrets = [make_upn(n) for n in [*range(6), 50]] + ["Zoë1", "O’Connor", "2017-03-14"]
    dump = in_database()
    assert upn_hash(make_upn(1), programme_id=world.programme.pk) in dump  # the search works
    # Nor the UPN's own keyed hash, the same in every programme: pupils cannot be linked
    # across programmes from the database.
    secrets += [hmac.new(KEY, make_upn(n).encode(), "sha256").hexdigest() for n in range(6)]
    for secret in secrets:
        assert secret not in dump
        assert secret not in caplog.text


def test_a_school_leader_uploads_for_their_own_school_only(
    client, world, window, school_c, send_file, act
):
    client.force_login(world.maths_lead_a)
    mine = [pupil_row(n, world.school_a.urn) for n in range(3)]
    upload = send_file(window, results_csv(mine), school=world.school_a.pk)
    assert upload.school == world.school_a
    assert upload.status == UploadStatus.READY
    act(upload, "confirm")
    assert upload.status == UploadStatus.IMPORTED
    theirs = send_file(
        window, results_csv([*mine, pupil_row(7, school_c.urn)]), school=world.school_a.pk
    )
    assert theirs.status == UploadStatus.INVALID
    assert theirs.errors[0]["reason"] == "you can upload results for your own school only"
    response = client.post(
        reverse("evaluation:upload_new"), {"window": window.pk, "school": world.school_b.pk}
    )
    assert "Select a valid choice" in response.content.decode()


def test_uploads_are_seen_by_their_programme_and_school_only(
    client, world, window, school_c, send_file
):
    client.force_login(world.hub_lead)
    whole = send_file(window, results_csv(_file(world, school_c)))
    client.force_login(world.maths_lead_a)
    own = send_file(
        window, results_csv([pupil_row(1, world.school_a.urn)]), school=world.school_a.pk
    )
    expectations = {
        "hub_lead": {whole, own},
        "admin": {whole, own},
        "maths_lead_a": {own},
        "head_a": {own},
        "governor_a": set(),
        "sle": set(),
        "head_b": set(),
        "outsider": set(),
    }
    for persona, visible in expectations.items():
        client.force_login(getattr(world, persona))
        for upload in (whole, own):
            status = client.get(upload.get_absolute_url()).status_code
            assert status == (200 if upload in visible else 404), (persona, upload.file_name)
            errors = client.get(reverse("evaluation:upload_errors", args=[upload.pk])).status_code
            assert errors == (200 if upload in visible else 404)


def test_governors_and_outsiders_cannot_upload(client, world, window):
    for persona in ["governor_a", "sle", "outsider"]:
        client.force_login(getattr(world, persona))
        assert client.get(reverse("evaluation:upload_new")).status_code == 404


def test_the_page_polls_while_a_worker_is_busy(client, world, window, school_c):
    from django.core.files.base import ContentFile

    from evaluation import services

    upload = services.upload_store(
        uploaded_by=world.hub_lead,
        window=window,
        school=None,
        file=ContentFile(b"UPN\n", name="x.csv"),
    )
    client.force_login(world.hub_lead)
    page = client.get(upload.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert "<progress" in page
    partial = client.get(upload.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()
    assert partial.lstrip().startswith('<div id="upload-status"')


def test_the_templates_are_files_the_upload_accepts(client, world, window):
    from evaluation.validation import Columns

    client.force_login(world.maths_lead_a)
    csv_rows = (
        client.get(reverse("evaluation:template_csv")).content.decode("utf-8-sig").splitlines()
    )
    assert csv_rows[0] == "UPN,URN,Year group,Disadvantaged,SEND,EAL,Gender,Score,Standard"
    columns = Columns.from_header(csv_rows[0].split(","))
    assert set(columns.positions) == {
        "upn",
        "urn",
        "year_group",
        "disadvantaged",
        "send",
        "eal",
        "gender",
        "score",
        "standard",
    }
    xlsx = client.get(reverse("evaluation:template_xlsx"))
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    import io

    from evaluation.upload_file import read_rows

    rows = list(read_rows(io.BytesIO(xlsx.content)))
    assert rows[0] == csv_rows[0].split(",")


def test_a_new_windows_file_merges_its_pupils_years_and_rolls_back(
    client, world, window, school_c, send_file, act
):
    """The merge leaves out what its summary found none of: the second window has no result
    yet, while its file names pupils the first window made, with a year's details that
    change, and pupils new to the programme."""
    client.force_login(world.hub_lead)
    act(send_file(window, results_csv(_file(world, school_c))), "confirm")
    before = (_results(), list(PupilYear.objects.order_by("pk").values_list()))
    spring = AssessmentWindow.objects.create(
        programme=world.programme, slug="spring", name="Spring", kind="interim",
        date=date(2026, 3, 16),
    )  # fmt: skip
    rows = [pupil_row(serial, world.school_a.urn, SEN="E") for serial in range(3, 9)]
    upload = send_file(spring, results_csv(rows), name="spring.csv")
    assert upload.summary["totals"] == {
        "rows": 6, "new_pupils": 3, "created": 6, "updated": 0, "unchanged": 0
    }  # fmt: skip
    act(upload, "confirm")
    assert upload.status == UploadStatus.IMPORTED
    assert Pupil.objects.count() == 9
    assert Result.objects.filter(window=spring).count() == 6
    years = PupilYear.objects.filter(pupil__upn_hash__in=[
        upn_hash(make_upn(serial), programme_id=world.programme.pk) for serial in range(3, 9)
    ])  # fmt: skip
    assert sorted(years.values_list("send", "school_id")) == [("E", world.school_a.pk)] * 6
    act(upload, "rollback")
    assert (_results(), list(PupilYear.objects.order_by("pk").values_list())) == before
    assert Pupil.objects.count() == 6
