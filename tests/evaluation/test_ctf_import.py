"""Importing a Common Transfer File through the whole upload pipeline: the command, the
upload form, the upload page, and what is never kept."""

import logging
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError

from evaluation import services
from evaluation.forms import AssessmentUploadForm
from evaluation.models import AssessmentUpload, PupilYear, Result, UploadStatus
from evaluation.pseudonym import upn_hash
from evaluation.upload_ctf import ctf_lines

from .ctf_files import SECRET, XXE, CtfPupil, ctf
from .files import import_file, make_upn
from .stored import in_database


def _import(tmp_path, world, content: bytes, *extra):
    return import_file(tmp_path, world, content, *extra, name="pupils.xml")


def _class_of_five(urn: int) -> bytes:
    return ctf(
        [
            CtfPupil(1, fsm=[("2020-01-01", "2020-07-31")], language="POL"),
            CtfPupil(2, sen=[("2024-09-01", "", "K")], sex="M"),
            CtfPupil(3, results=[("KS2", "2025", "MAT", "TA", "", "EXS")]),
            CtfPupil(4, results=[]),  # no maths result: not imported
            CtfPupil(5, in_care="true", results=[("KS2", "2025", "MAT", "TT", "", "97")]),
        ],
        urn,
    )


def test_a_ctf_is_imported_through_the_whole_pipeline_once(tmp_path, world, window):
    content = _class_of_five(world.school_a.urn)
    out, _ = _import(tmp_path, world, content, "--ctf-key-stage", "ks2")
    assert out.splitlines()[-1] == "Imported: created 4, updated 0, unchanged 0, new pupils 4."
    results = {(r.score, r.standard) for r in Result.objects.filter(window=window)}
    assert results == {(Decimal("104.0"), ""), (None, "EXS"), (Decimal("97.0"), "")}
    years = sorted(
        PupilYear.objects.values_list("disadvantaged", "send", "eal", "gender", "year_group")
    )
    assert years == sorted([
        (True, "N", True, "F", 6),  # free school meals in 2020, first language Polish
        (False, "K", False, "M", 6),
        (False, "N", False, "F", 6),
        (True, "N", False, "F", 6),  # looked after
    ])  # fmt: skip
    out, _ = _import(tmp_path, world, content, "--ctf-key-stage", "KS2")
    assert out.splitlines()[-1] == "Imported: created 0, updated 0, unchanged 4, new pupils 0."


def test_an_imported_ctf_rolls_back_whole(
    tmp_path, world, window, django_capture_on_commit_callbacks
):
    _import(tmp_path, world, _class_of_five(world.school_a.urn), "--ctf-key-stage", "KS2")
    upload = AssessmentUpload.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.upload_request_rollback(upload=upload, user=world.hub_lead)
    upload.refresh_from_db()
    assert upload.status == UploadStatus.ROLLED_BACK
    assert not Result.objects.exists()


def test_a_ctf_with_a_bad_value_is_rejected_whole(tmp_path, world, window):
    pupils = [CtfPupil(1), CtfPupil(2, results=[]), CtfPupil(3, upn="A12345678901X")]
    with pytest.raises(CommandError, match=r"Nothing was imported: 1 problem\(s\)"):
        _import(tmp_path, world, ctf(pupils, world.school_a.urn), "--ctf-key-stage", "KS2")
    assert not Result.objects.exists()
    [error] = AssessmentUpload.objects.get().errors
    # Row 4: the 3rd Pupil. Only the first four characters of a UPN are shown.
    assert (error["row"], error["column"], error["value"]) == (4, "UPN", "A123…")


def test_a_ctf_with_a_bad_date_is_rejected_naming_the_pupil(tmp_path, world, window):
    bad = CtfPupil(2, fsm=[("2021-02-30", "")])
    with pytest.raises(CommandError, match=r"1 problem"):
        _import(
            tmp_path, world, ctf([CtfPupil(1), bad], world.school_a.urn), "--ctf-key-stage", "KS2"
        )
    [error] = AssessmentUpload.objects.get().errors
    assert error["reason"].startswith("The 2nd Pupil, FSMhistory/FSMinstance[1]/FSMstartDate:")
    assert not Result.objects.exists()


def test_a_ctf_without_a_mapping_is_refused(tmp_path, world, window):
    with pytest.raises(CommandError):
        _import(tmp_path, world, _class_of_five(world.school_a.urn))
    [error] = AssessmentUpload.objects.get().errors
    assert error["reason"].startswith("This is a Common Transfer File: choose")


def test_no_name_date_of_birth_address_or_contact_is_kept(tmp_path, world, window, caplog, media):
    caplog.set_level(logging.DEBUG)
    _import(tmp_path, world, _class_of_five(world.school_a.urn), "--ctf-key-stage", "KS2")
    assert Result.objects.count() == 4
    stored = in_database()
    assert upn_hash(make_upn(1), programme_id=world.programme.pk) in stored  # the search works
    for serial in range(1, 6):
        assert make_upn(serial) not in stored  # a UPN is kept only as its pseudonym
    for secret in (SECRET, "O'Connor", "Zoë", "2014-03-14", "0113 496"):
        assert secret not in stored
        assert secret not in caplog.text
    kept = b"".join(path.read_bytes() for path in media.rglob("*") if path.is_file())
    assert SECRET.encode() not in kept
    assert b"2014-03-14" not in kept


def _form(world, window, content: bytes, **data):
    files = {"file": SimpleUploadedFile("pupils.xml", content)}
    return AssessmentUploadForm({"window": window.pk, **data}, files, user=world.hub_lead)


def test_the_upload_form_asks_a_ctf_for_its_key_stage(world, window):
    content = _class_of_five(world.school_a.urn)
    form = _form(world, window, content)
    assert not form.is_valid()
    assert form.errors["ctf_key_stage"] == ["Choose the key stage of the CTF's results."]
    form = _form(world, window, content, ctf_key_stage="KS2", ctf_year="2025", ctf_method="TT")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["ctf"] == {
        "key_stage": "KS2", "year": "2025", "method": "TT", "component": ""
    }  # fmt: skip


def test_the_upload_form_refuses_a_hostile_xml_file(world, window):
    form = _form(world, window, XXE, ctf_key_stage="KS2")
    assert not form.is_valid()
    assert "declares a DTD or entities" in form.errors["file"][0]


TOTALS = ("rows", "new_pupils", "created", "updated", "unchanged")


def test_the_upload_page_says_where_the_results_went(client, world, window):
    tally = {"version": "24.0", "pupils": 5, "taken": 4,
             "left_out": [["pupil(s) with no maths result for this assessment", 1]]}  # fmt: skip
    summary = {"ctf_tally": tally, "schools": [], "totals": dict.fromkeys(TOTALS, 0)}
    upload = AssessmentUpload.objects.create(
        window=window, uploaded_by=world.hub_lead, file_name="pupils.xml",
        status=UploadStatus.READY, summary=summary,
    )  # fmt: skip
    client.force_login(world.hub_lead)
    page = client.get(upload.get_absolute_url()).content.decode()
    assert "Common Transfer File, version 24.0: 5 pupils;\n  4 maths results went" in page
    assert "Left out: 1 pupil(s) with no maths result for this assessment" in page


def test_upload_create_takes_the_mapping_to_the_check(
    world, window, django_capture_on_commit_callbacks
):
    file = SimpleUploadedFile("pupils.xml", _class_of_five(world.school_a.urn))
    mapping = {"key_stage": "KS2", "year": "2025", "method": "TA", "component": ""}
    with django_capture_on_commit_callbacks(execute=True):
        upload = services.upload_create(
            uploaded_by=world.hub_lead, window=window, school=None, file=file, ctf=mapping
        )
    upload.refresh_from_db()
    assert upload.status == UploadStatus.READY
    # Only the 3rd pupil has a teacher assessment: the one row the preview counts.
    assert upload.summary["totals"]["rows"] == 1


def test_the_command_words_a_tally():
    tally = {"version": "19.0", "pupils": 3, "taken": 2,
             "left_out": [["result(s) of another year", 4]]}  # fmt: skip
    assert ctf_lines(tally) == (
        "CTF 19.0: 3 pupil(s), 2 maths result(s) went to this assessment.\n"
        "Left out: 4 result(s) of another year."
    )
