"""The targets page's forms, which validate and never write."""

from decimal import Decimal

from django import forms

from programmes.models import Kpi, Programme, ReportFigure

# A share is from 0 to 100%; a gap can run either way (the disadvantaged pupils ahead is
# negative), as the Target model's constraint says.
LOWEST = {ReportFigure.DISADVANTAGED_GAP: Decimal(-100)}
HELP = {
    ReportFigure.EXPECTED_ALL: "Percentage of all pupils, e.g. 72.5.",
    ReportFigure.EXPECTED_DISADVANTAGED: "Percentage of disadvantaged pupils, e.g. 60.",
    ReportFigure.DISADVANTAGED_GAP: (
        "Other pupils' share at the expected standard less disadvantaged pupils' share, in "
        "percentage points, e.g. 5. Smaller is better."
    ),
}


class TargetsForm(forms.Form):
    """One box per figure, showing its current target; only those changed are set again."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for measure, label in ReportFigure.choices:
            self.fields[measure] = forms.DecimalField(
                label=label,
                required=False,
                max_digits=4,
                decimal_places=1,
                min_value=LOWEST.get(measure, Decimal(0)),
                max_value=Decimal(100),
                help_text=HELP[measure],
            )


class KpiChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Kpi) -> str:
        """Each KPI with where its achieved value comes from now."""
        source = obj.get_report_figure_display() if obj.report_figure else "Entered by hand"
        return f"{obj.name} — now: {source}"


class KpiLinkForm(forms.Form):
    """Which figure of the report fills a KPI in, or none (entered by hand)."""

    kpi = KpiChoiceField(queryset=Kpi.objects.none(), label="KPI")
    report_figure = forms.ChoiceField(
        label="Filled in from",
        choices=[("", "Entered by hand")] + ReportFigure.choices,
        required=False,
        help_text="The programme's figure at the latest window the report has it for.",
    )

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kpi"].queryset = programme.kpis.all()
