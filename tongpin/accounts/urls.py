"""Mounted at /accounts/: login, profile, and the system and security administrators' pages."""

from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("profile/", views.profile, name="profile"),
    path("profile/token/", views.api_token, name="token"),
    # system administrator
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/active/", views.user_set_active, name="user_set_active"),
    path("users/<int:pk>/reset-password/", views.user_reset_password, name="user_reset_password"),
    # security administrator
    path("roles/", views.role_list, name="role_list"),
    path("roles/<int:pk>/", views.role_user, name="role_user"),
    path("roles/<int:pk>/grant/", views.role_grant, name="role_grant"),
    path("roles/<int:pk>/platform-role/", views.platform_role, name="platform_role"),
    path("roles/<int:pk>/unlock/", views.unlock, name="unlock"),
    path("roles/assignments/<int:pk>/revoke/", views.role_revoke, name="role_revoke"),
]
