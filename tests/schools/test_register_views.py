import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from schools.models import ImportStatus, School, SchoolRegisterImport

from .gias import gias_csv, school_row

NEW = reverse("schools:register_import_new")


@pytest.fixture
def upload(client, django_capture_on_commit_callbacks):
    """Post a file as the browser would, running the import queued once the upload commits."""

    def post(content: bytes, name: str = "edubasealldata.csv"):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(NEW, {"file": SimpleUploadedFile(name, content, "text/csv")})

    return post


def test_it_imports_an_upload_and_shows_the_outcome(client, world, upload):
    client.force_login(world.admin)
    response = upload(gias_csv([school_row(100001), school_row(100002)]))
    register_import = SchoolRegisterImport.objects.get()
    assert response["Location"] == reverse("schools:register_import", args=[register_import.pk])
    assert register_import.status == ImportStatus.DONE
    assert register_import.uploaded_by == world.admin
    page = client.get(response["Location"]).content.decode()
    assert "Imported: created 2, updated 0, unchanged 0." in page
    assert "hx-trigger" not in page  # finished: the page stops polling
    assert "edubasealldata.csv" in client.get(NEW).content.decode()


def test_it_lists_the_rows_to_fix_and_imports_nothing(client, world, upload):
    client.force_login(world.admin)
    before = School.objects.count()
    response = upload(gias_csv([school_row(100001), school_row("12")]))
    page = client.get(response["Location"]).content.decode()
    assert "Nothing was imported: 1 row(s) need fixing." in page
    assert "<td>3</td><td>URN</td><td>12</td><td>A URN is a 6-digit number</td>" in page
    assert School.objects.count() == before


def test_it_polls_while_the_import_waits_for_a_worker(client, world):
    register_import = SchoolRegisterImport.objects.create(file_name="a.csv", content=b"")
    client.force_login(world.admin)
    url = reverse("schools:register_import", args=[register_import.pk])
    page = client.get(url).content.decode()
    assert 'hx-trigger="every 2s"' in page
    assert "Waiting for a worker" in page
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert partial.lstrip().startswith('<div id="register-import-status"')
    assert "<html" not in partial


def test_it_refuses_files_that_are_not_csv(client, world, upload, settings):
    client.force_login(world.admin)
    response = upload(b"PK\x03\x04" + b"\x00" * 100, "schools.csv")
    assert "This is not a CSV file" in response.content.decode()
    settings.UPLOAD_MAX_BYTES = 10
    response = upload(gias_csv([school_row()]))
    assert "The file is larger than the 10\xa0bytes we accept." in response.content.decode()
    assert not SchoolRegisterImport.objects.exists()


def test_it_hides_the_register_from_everyone_but_site_admins(client, world, upload):
    register_import = SchoolRegisterImport.objects.create(file_name="a.csv", content=b"")
    urls = [NEW, reverse("schools:register_import", args=[register_import.pk])]
    for persona in ["hub_lead", "sle", "head_a", "governor_a", "outsider"]:
        client.force_login(getattr(world, persona))
        for url in urls:
            assert client.get(url).status_code == 404, (persona, url)
        assert upload(gias_csv([school_row()])).status_code == 404
    assert SchoolRegisterImport.objects.count() == 1


def test_it_keeps_the_upload_page_to_a_constant_number_of_queries(
    client, world, django_assert_max_num_queries
):
    for n in range(15):
        SchoolRegisterImport.objects.create(file_name=f"{n}.csv", content=b"x" * 1000)
    client.force_login(world.admin)
    with django_assert_max_num_queries(6):
        assert client.get(NEW).status_code == 200
