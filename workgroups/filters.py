import django_filters
from django import forms
from django.utils import timezone

from .models import Event, EventKind, WorkGroup, WorkGroupType


class YearFilter(django_filters.NumberFilter):
    """A year typed as a whole number (django-filter's own number is a decimal)."""

    field_class = forms.IntegerField


class WorkGroupFilter(django_filters.FilterSet):
    type = django_filters.ModelChoiceFilter(queryset=WorkGroupType.objects.all())
    academic_year = YearFilter(min_value=2000, max_value=2100)

    class Meta:
        model = WorkGroup
        fields = ["type", "academic_year"]


class EventFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=EventKind.choices, empty_label="All kinds")
    when = django_filters.ChoiceFilter(
        choices=[("upcoming", "Upcoming"), ("past", "Past")],
        empty_label="Any time",
        method="filter_when",
    )

    class Meta:
        model = Event
        fields = ["kind", "when"]

    def filter_when(self, queryset, name, value):
        now = timezone.now()
        if value == "upcoming":
            # The next event first.
            return queryset.filter(starts_at__gte=now).order_by("starts_at")
        return queryset.filter(starts_at__lt=now)
