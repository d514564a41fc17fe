"""The Record of Visit form on a tablet that loses its connection, in a real browser."""

import pytest

from programmes.models import FocusArea
from tests.factories import StaffMemberFactory
from visits.models import RecordOfVisit
from visits.views import visits as visit_views

from .conftest import axe_violations, screenshot

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True, databases="__all__", serialized_rollback=True),
]


def connection_lost(**record):
    raise ConnectionResetError("the tablet lost its connection")


def test_a_record_written_offline_waits_and_is_sent_once(world, open_as, live_server, monkeypatch):
    StaffMemberFactory(school=world.school_a, full_name="Ada Okoro")
    FocusArea.objects.create(programme=world.programme, name="Variation")
    world.school_a.actions.create(description="Daily fluency sessions")
    context = open_as(world.sle, 1024, 768)
    page = context.new_page()
    page.goto(f"/visits/new/{world.school_a.urn}/")
    page.wait_for_selector("body[data-offline-ready='yes']")
    assert axe_violations(page) == []

    page.fill("#id_visit_date", "2025-11-12")
    page.select_option("#id_kind", "coaching")
    page.check("text=Year 1")
    page.check("text=Ada Okoro")
    page.check("text=Variation")
    page.check("label:text-is('In progress')")  # the radio is drawn as its label
    page.fill("#id_activities", "Co-planned a lesson on number bonds.")
    page.fill("#id_next_steps", "Plan the next unit together")
    screenshot(page, "visit-form-1024x768")

    # Offline for the page. Chromium can let a reloaded page out for a moment before its
    # offline emulation applies, and Playwright cannot stop a request the service worker
    # passes on, so a record that slips out meanwhile is refused by the server, as if the
    # connection had dropped on the way (the page keeps it waiting).
    context.set_offline(True)
    monkeypatch.setattr(visit_views, "visit_record", connection_lost)
    page.click("text=Save the record")
    page.wait_for_selector("[data-state='waiting']")
    assert "Waiting to send" in page.inner_text("#outbox")
    assert RecordOfVisit.objects.count() == 0

    reloaded = page.reload()  # no connection: the page comes from the service worker's copy
    assert reloaded.from_service_worker
    page.wait_for_selector("[data-state='waiting']")
    assert page.is_visible("#visit-form")
    assert RecordOfVisit.objects.count() == 0

    monkeypatch.undo()
    context.set_offline(False)  # the connection returns: the record goes by itself
    page.wait_for_selector("[data-state='sent']", timeout=15_000)
    assert "Sent" in page.inner_text("#outbox")
    page.reload()
    page.wait_for_selector("[data-state='sent']")
    visit = RecordOfVisit.objects.get()
    assert (visit.sle, visit.school, visit.year_groups) == (world.sle, world.school_a, [1])
    assert visit.action_updates.get().progress == "in_progress"
    assert world.school_a.actions.filter(raised_at_visit=visit).count() == 1


def test_what_is_typed_survives_a_reload(world, open_as):
    context = open_as(world.sle)
    page = context.new_page()
    page.goto(f"/visits/new/{world.school_a.urn}/")
    page.fill("#id_strengths", "Confident use of stem sentences")
    page.reload()
    assert page.input_value("#id_strengths") == "Confident use of stem sentences"


def test_the_action_plan_is_accessible_and_printable(world, open_as):
    world.school_a.actions.create(description="Use bar models in Year 2", status="amber")
    world.school_a.risks.create(description="Staff turnover", mitigation="Catch-up CPD")
    context = open_as(world.maths_lead_a, 768, 1024)
    page = context.new_page()
    page.goto(f"/schools/{world.school_a.urn}/action-plan/")
    assert "Use bar models in Year 2" in page.inner_text("main")
    assert axe_violations(page) == []
    screenshot(page, "action-plan-768x1024")
    page.emulate_media(media="print")
    assert not page.is_visible("nav.navbar")
