import django_filters
from django.db.models import Q

from .models import AuditAction, AuditEvent


class AuditEventFilter(django_filters.FilterSet):
    action = django_filters.ChoiceFilter(choices=AuditAction.choices, empty_label="Every action")
    search = django_filters.CharFilter(label="Person or subject", method="filter_search")

    class Meta:
        model = AuditEvent
        fields = ["action"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(subject__icontains=value) | Q(actor_name__icontains=value))
