from django.urls import path

from .views import action_plans, reports
from .views import school as views

app_name = "schools"
urlpatterns = [
    path("", views.school_list, name="list"),
    path("mine/", views.my_schools, name="mine"),
    path("new/", views.school_form, name="create"),
    path("register/", views.register_import_new, name="register_import_new"),
    path("register/<int:pk>/", views.register_import_detail, name="register_import"),
    path("<int:urn>/", views.school_dashboard, name="dashboard"),
    path("<int:urn>/edit/", views.school_form, name="edit"),
    path("<int:urn>/staff/", views.staff_list, name="staff"),
    path("<int:urn>/action-plan/", action_plans.action_plan, name="action_plan"),
    path("<int:urn>/governor-report/", reports.governor_report, name="governor_report"),
    path("<int:urn>/action-plan/actions/new/", action_plans.action_form, name="action_create"),
    path("<int:urn>/action-plan/actions/<int:pk>/", action_plans.action_form, name="action_edit"),
    path("<int:urn>/action-plan/risks/new/", action_plans.risk_form, name="risk_create"),
    path("<int:urn>/action-plan/risks/<int:pk>/", action_plans.risk_form, name="risk_edit"),
    path("<int:urn>/staff/new/", views.staff_form, name="staff_create"),
    path("<int:urn>/staff/<int:pk>/", views.staff_form, name="staff_edit"),
]
