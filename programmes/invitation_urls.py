from django.urls import path

from .views import invitations

app_name = "invitations"
urlpatterns = [
    path("", invitations.invitation_list, name="list"),
    path("<int:pk>/", invitations.invitation_answer, name="answer"),
]
