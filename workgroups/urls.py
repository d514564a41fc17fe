"""Mounted under /programmes/<slug>/: work groups and events belong to a programme."""

from django.urls import path

from . import views

app_name = "workgroups"
urlpatterns = [
    path("work-groups/", views.work_group_list, name="list"),
    path("work-groups/new/", views.work_group_form, name="create"),
    path("work-groups/<int:pk>/", views.work_group_detail, name="detail"),
    path("work-groups/<int:pk>/edit/", views.work_group_form, name="edit"),
    path("work-groups/<int:pk>/participants/", views.participant_add, name="participant_add"),
    path(
        "work-groups/<int:pk>/participants/<int:participant_pk>/remove/",
        views.participant_remove,
        name="participant_remove",
    ),
    path("events/", views.event_list, name="events"),
    path("events/new/", views.event_form, name="event_create"),
    path("events/<int:pk>/", views.event_detail, name="event"),
    path("events/<int:pk>/edit/", views.event_form, name="event_edit"),
    path("cpd-coverage/", views.cpd_coverage, name="cpd_coverage"),
]
