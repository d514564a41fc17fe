from django.urls import path

from .views import visits

app_name = "visits"
urlpatterns = [
    path("", visits.visit_list, name="list"),
    path("sw.js", visits.service_worker, name="service_worker"),
    path("new/<int:urn>/", visits.visit_new, name="new"),
    path("<int:pk>/", visits.visit_detail, name="detail"),
    path("<int:pk>/acknowledge/", visits.visit_acknowledge_view, name="acknowledge"),
    path("<int:pk>/photos/", visits.visit_photo, name="photo"),
    path("coverage/<slug:slug>/", visits.coverage_mine, name="coverage_mine"),
    path("coverage/<slug:slug>/all/", visits.coverage_programme, name="coverage_programme"),
]
