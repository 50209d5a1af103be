from django.urls import path

from organizations import token_views, views

app_name = "organizations"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("new/", views.organization_create, name="create"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("<slug:slug>/", views.organization_detail, name="detail"),
    path("<slug:slug>/manage/", views.organization_manage, name="manage"),
    path("<slug:slug>/manage/invite/", views.invite, name="invite"),
    path("<slug:slug>/manage/members/<int:pk>/role/", views.member_role, name="member_role"),
    path("<slug:slug>/manage/members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path(
        "<slug:slug>/manage/invitations/<int:pk>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("<slug:slug>/api-tokens/", token_views.token_list, name="api_tokens"),
    path("<slug:slug>/api-tokens/<int:pk>/revoke/", token_views.token_revoke, name="api_token_revoke"),
]
