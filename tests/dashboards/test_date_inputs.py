"""Date fields render ISO dates, the only ones <input type="date"> shows: rendered British
(01/12/2026) they open empty."""

from datetime import date

from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from schools.academic_year import academic_year_of, academic_year_start
from schools.forms import ReportPeriodForm


def test_a_date_field_renders_its_default_as_an_iso_date():
    form = ReportPeriodForm(initial={"start": date(2026, 12, 1), "end": date(2027, 1, 31)})
    html = str(form["start"]) + str(form["end"])
    assert 'value="2026-12-01"' in html
    assert 'value="2027-01-31"' in html


def test_a_date_typed_the_british_way_is_still_accepted():
    form = ReportPeriodForm({"start": "01/12/2026", "end": "2027-01-31"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["start"] == date(2026, 12, 1)


def test_a_date_shown_as_text_stays_british():
    rendered = Template("{{ day|date }}").render(Context({"day": date(2026, 12, 1)}))
    assert rendered == "1 Dec 2026"


def test_the_governor_report_opens_with_its_period_in_from_and_to(client, world):
    client.force_login(world.governor_a)
    response = client.get(reverse("dashboards:governor_report", args=[world.school_a.urn]))
    today = timezone.localdate()
    start = academic_year_start(academic_year_of(today))
    html = response.content.decode()
    assert f'value="{start:%Y-%m-%d}"' in html
    assert f'value="{today:%Y-%m-%d}"' in html
