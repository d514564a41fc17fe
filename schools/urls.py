from django.urls import path

from .views import school as views

# A school's own page (/schools/<urn>/), its governor report and an SLE's schools are the
# dashboards app's, mounted after these.
app_name = "schools"
urlpatterns = [
    path("", views.school_list, name="list"),
    path("new/", views.school_form, name="create"),
    path("register/", views.register_import_new, name="register_import_new"),
    path("register/<int:pk>/", views.register_import_detail, name="register_import"),
    path("<int:urn>/edit/", views.school_form, name="edit"),
    path("<int:urn>/staff/", views.staff_list, name="staff"),
    path("<int:urn>/staff/new/", views.staff_form, name="staff_create"),
    path("<int:urn>/staff/<int:pk>/", views.staff_form, name="staff_edit"),
]
