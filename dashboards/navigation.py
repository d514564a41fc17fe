from dataclasses import dataclass

from django.urls import reverse

from accounts.access import scope_of


@dataclass(frozen=True)
class Dashboard:
    label: str
    url: str
    role_label: str


def dashboards_for(user) -> list[Dashboard]:
    """Each page a user's roles give them as a home, in the order the navigation shows them."""
    scope = scope_of(user)
    dashboards = []
    if scope.is_site_admin:
        dashboards.append(Dashboard("All programmes", reverse("programmes:list"), "Site admin"))
    for slug, name in scope.led_programmes:
        url = reverse("dashboards:programme", args=[slug])
        dashboards.append(Dashboard(name, url, "Hub lead"))
    if scope.sle_school_ids:
        dashboards.append(Dashboard("My schools", reverse("dashboards:mine"), "SLE"))
    for urn, name, role_labels in scope.own_schools:
        url = reverse("dashboards:school", args=[urn])
        dashboards.append(Dashboard(name, url, " and ".join(role_labels)))
    return dashboards
