from decimal import Decimal

from django.urls import reverse

from accounts.models import AuditAction, AuditEvent
from tests.factories import BudgetLineFactory, KpiFactory, RecordOfVisitFactory, SpendEntryFactory


def test_it_reports_reach_kpis_and_money_to_the_funder(client, world):
    KpiFactory(programme=world.programme, name="KS1 teachers trained", target=480, achieved=312)
    line = BudgetLineFactory(programme=world.programme, name="SLE support", amount=Decimal(1000))
    SpendEntryFactory(budget_line=line, amount=Decimal("250.50"))
    RecordOfVisitFactory(programme=world.programme, school=world.school_a)
    client.force_login(world.hub_lead)
    url = reverse("dashboards:funder_report", args=[world.programme.slug])
    page = " ".join(client.get(url).content.decode().split())
    assert "1 school in 1 local authority" in page
    assert "SLEs made 1 visit (0.50 of 4 SLE days allocated)" in page
    assert "KS1 teachers trained" in page
    assert "65%" in page
    assert "£250.50" in page
    assert "£749.50" in page
    response = client.get(url + "?format=pdf")
    assert response.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(
        action=AuditAction.EXPORTED, programme=world.programme
    ).exists()
