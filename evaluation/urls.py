from django.urls import path

from . import planning, target_views, views

app_name = "evaluation"
urlpatterns = [
    path("", views.upload_list, name="uploads"),
    path("new/", views.upload_new, name="upload_new"),
    path("how-figures-are-calculated/", views.method, name="method"),
    path("plan-a-comparison/", planning.planner, name="planner"),
    path("retention/", views.retention, name="retention"),
    path("report/<slug:slug>/recompute/", views.report_recompute, name="report_recompute"),
    path("report/<slug:slug>/retry/", views.report_retry, name="report_retry"),
    path("targets/<slug:slug>/", target_views.programme_targets, name="targets"),
    path(
        "targets/<slug:slug>/schools/<int:urn>/", target_views.school_targets, name="school_targets"
    ),
    path("report-failures/", views.report_failures, name="report_failures"),
    path("report/<slug:slug>/attainment.csv", views.report_csv, name="report_csv"),
    path("template.csv", views.template_csv, name="template_csv"),
    path("template.xlsx", views.template_xlsx, name="template_xlsx"),
    path("<int:pk>/", views.upload_detail, name="upload"),
    path("<int:pk>/errors.csv", views.upload_errors, name="upload_errors"),
    path("<int:pk>/confirm/", views.upload_confirm, name="upload_confirm"),
    path("<int:pk>/rollback/", views.upload_rollback, name="upload_rollback"),
    path("<int:pk>/queue-again/", views.upload_queue_again, name="upload_queue_again"),
]
