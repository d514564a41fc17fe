import django_filters
from django import forms
from django.db.models import Q

from .models import AuditAction, AuditEvent

# Events whose subject names a person other than the one who acted.
_NAMING_SOMEONE = [AuditAction.SIGN_IN_FAILED, AuditAction.TWO_FACTOR_RESET]


def _date_input():
    return forms.DateInput(attrs={"type": "date"})  # rendered ISO: see mathsprog/formats


class AuditEventFilter(django_filters.FilterSet):
    person = django_filters.CharFilter(label="Person (name or e-mail)", method="filter_person")
    action = django_filters.ChoiceFilter(choices=AuditAction.choices, empty_label="Every action")
    since = django_filters.DateFilter(
        label="From", field_name="at", lookup_expr="date__gte", widget=_date_input()
    )
    until = django_filters.DateFilter(
        label="To", field_name="at", lookup_expr="date__lte", widget=_date_input()
    )

    class Meta:
        model = AuditEvent
        fields = ["action"]

    def filter_person(self, queryset, name, value):
        return queryset.filter(
            Q(actor_name__icontains=value)
            | Q(actor__full_name__icontains=value)
            | Q(action__in=_NAMING_SOMEONE, subject__icontains=value)
        )
