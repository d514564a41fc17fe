"""The one way pages and PDFs show a report's figures where some may be withheld, in the
words of evaluation.selectors (which downloads use too), at the report's own threshold."""

from django import template

from evaluation.selectors import too_few as too_few_words
from evaluation.selectors import withheld

register = template.Library()


@register.filter
def too_few(threshold: int | None) -> str:
    """{{ report.threshold|too_few }}: "fewer than 5 pupils", for sentences."""
    return too_few_words(threshold)


@register.simple_tag
def figure(group: dict | None, name: str, threshold: int | None, unit: str = "") -> str:
    """{% figure gap "pct_expected_points" report.threshold %}: the figure `name` of a
    report's group or gap, "–" where it has none, or the withheld wording where the report
    withholds the group (`"suppressed": true`, every figure null)."""
    if group and group.get("suppressed"):
        return withheld(threshold)
    value = (group or {}).get(name)
    return "–" if value is None else f"{value}{unit}"


@register.simple_tag
def withheld_cell(threshold: int | None) -> str:
    """{% withheld_cell report.threshold %}: a cell standing for a whole withheld row."""
    return withheld(threshold)
