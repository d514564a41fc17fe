from django.urls import path

from .views import action_plans, visit_forms, visits

# Mounted at the site's root: the action plan keeps its path under the school it belongs to.
app_name = "visits"
urlpatterns = [
    path("visits/", visits.visit_list, name="list"),
    path("visits/sw.js", visits.service_worker, name="service_worker"),
    path("visits/new/<int:urn>/", visits.visit_new, name="new"),
    path("visits/<int:pk>/", visits.visit_detail, name="detail"),
    path("programmes/<slug:slug>/visit-form/", visit_forms.visit_form_compose, name="form_compose"),
    path("visits/<int:pk>/acknowledge/", visits.visit_acknowledge_view, name="acknowledge"),
    path("visits/<int:pk>/photos/", visits.visit_photo, name="photo"),
    path("schools/<int:urn>/action-plan/", action_plans.action_plan, name="action_plan"),
    path(
        "schools/<int:urn>/action-plan/actions/new/", action_plans.action_form, name="action_create"
    ),
    path(
        "schools/<int:urn>/action-plan/actions/<int:pk>/",
        action_plans.action_form,
        name="action_edit",
    ),
    path("schools/<int:urn>/action-plan/risks/new/", action_plans.risk_form, name="risk_create"),
    path("schools/<int:urn>/action-plan/risks/<int:pk>/", action_plans.risk_form, name="risk_edit"),
]
