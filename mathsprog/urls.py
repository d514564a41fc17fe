from django.contrib import admin
from django.urls import include, path

from dashboards.views.home import home
from workgroups import views as workgroup_views

from .health import healthz

admin.site.site_header = "mathsprog data admin"

urlpatterns = [
    path("", home, name="home"),
    path("", include("accounts.urls")),
    path("programmes/", include("programmes.urls")),
    path("programmes/<slug:slug>/", include("workgroups.urls")),
    path("invitations/", include("programmes.invitation_urls")),
    path("work-group-types/", workgroup_views.type_list, name="work_group_types"),
    path("work-group-types/new/", workgroup_views.type_form, name="work_group_type_create"),
    path("work-group-types/<int:pk>/", workgroup_views.type_form, name="work_group_type_edit"),
    path("schools/", include("schools.urls")),
    path("", include("visits.urls")),
    path("assessments/", include("evaluation.urls")),
    path("e-mails/", include("reminders.urls")),
    # Last: its slug and URN patterns sit under /programmes/, /schools/, /visits/ (see its urls).
    path("", include("dashboards.urls")),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
