from django.urls import path

from organizations import views

app_name = "organizations"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("new/", views.organization_create, name="create"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("<slug:slug>/", views.organization_detail, name="detail"),
    path("<slug:slug>/manage/", views.organization_manage, name="manage"),
]
