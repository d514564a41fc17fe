import django_filters
from django import forms
from django.db.models import Q

from .models import LocalAuthority, School


class TickFilter(django_filters.BooleanFilter):
    """A checkbox: ticked or not (django-filter's own is a yes/no/unknown list)."""

    field_class = forms.BooleanField


class SchoolFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(label="Name, URN or postcode", method="filter_search")
    local_authority = django_filters.ModelChoiceFilter(queryset=LocalAuthority.objects.all())
    phase = django_filters.CharFilter(lookup_expr="iexact")
    open_only = TickFilter(label="Open schools only", method="filter_open_only")

    class Meta:
        model = School
        fields = ["search", "local_authority", "phase", "open_only"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Ticked on a first visit, as a suggestion: an unasked-for list is every school.
        self.form.fields["open_only"].initial = True

    def filter_search(self, queryset, name, value):
        term = value.strip()
        match = Q(name__icontains=term) | Q(postcode__istartswith=term)
        if term.isdigit():
            match |= Q(urn=int(term))
        return queryset.filter(match)

    def filter_open_only(self, queryset, name, value):
        # Unticked shows open and closed schools alike, not the closed ones only.
        return queryset.filter(is_open=True) if value else queryset
