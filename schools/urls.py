from django.urls import path

from . import views

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
    path("<int:urn>/staff/new/", views.staff_form, name="staff_create"),
    path("<int:urn>/staff/<int:pk>/", views.staff_form, name="staff_edit"),
]
