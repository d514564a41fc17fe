"""The year-group labels of schools/year_groups.py, for templates, so that no template spells
out "Reception" or "Year 6" itself."""

from django import template

from schools.year_groups import YEAR_GROUP_LABELS

register = template.Library()


@register.filter
def year_group(number: int | None) -> str:
    """{{ staff.year_group|year_group }}: "Reception", "Year 6"; "" for none."""
    return "" if number is None else YEAR_GROUP_LABELS[number]
