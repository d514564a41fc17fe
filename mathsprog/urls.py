from django.contrib import admin
from django.urls import include, path

from .health import healthz

admin.site.site_header = "mathsprog data admin"

urlpatterns = [
    path("", include("accounts.urls")),
    path("programmes/", include("programmes.urls")),
    path("schools/", include("schools.urls")),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
