from django.urls import path

from organizations.views import directory, tokens

app_name = "organizations"

urlpatterns = [
    path("", directory.directory, name="directory"),
    path("new/", directory.organization_create, name="create"),
    path("invitations/<str:token>/", directory.invitation_accept, name="invitation_accept"),
    path("<slug:slug>/", directory.organization_detail, name="detail"),
    path("<slug:slug>/manage/", directory.organization_manage, name="manage"),
    path("<slug:slug>/manage/invite/", directory.invite, name="invite"),
    path("<slug:slug>/manage/members/<int:pk>/role/", directory.member_role, name="member_role"),
    path("<slug:slug>/manage/members/<int:pk>/remove/", directory.member_remove, name="member_remove"),
    path(
        "<slug:slug>/manage/invitations/<int:pk>/revoke/",
        directory.invitation_revoke,
        name="invitation_revoke",
    ),
    path("<slug:slug>/api-tokens/", tokens.token_list, name="api_tokens"),
    path("<slug:slug>/api-tokens/<int:pk>/revoke/", tokens.token_revoke, name="api_token_revoke"),
]
