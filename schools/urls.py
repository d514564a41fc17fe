from django.urls import path

from . import views

app_name = "schools"
urlpatterns = [
    path("mine/", views.my_schools, name="mine"),
    path("<int:urn>/", views.school_dashboard, name="dashboard"),
]
