"""Citizen and business accounts, mounted at /tai-khoan/ (Vietnamese paths, like the portal)."""

from django.urls import path

from . import web_accounts as views

app_name = "accounts"

urlpatterns = [
    path("dang-ky/", views.register, name="register"),
    path("xac-minh/", views.verify, name="verify"),
    path("xac-minh/gui-lai/", views.resend, name="resend"),
    path("dang-nhap/", views.login_view, name="login"),
    path("dang-xuat/", views.logout_view, name="logout"),
    path("quen-mat-khau/", views.password_reset, name="password_reset"),
    path("quen-mat-khau/ma/", views.password_reset_code, name="password_reset_code"),
    path(
        "dat-lai-mat-khau/<str:uidb64>/<str:token>/",
        views.password_reset_link,
        name="password_reset_link",
    ),
    path("ho-so/", views.profile, name="profile"),
    path("dinh-danh/dang-nhap/", views.oidc_start, name="oidc_start"),
    path("dinh-danh/callback/", views.oidc_callback, name="oidc_callback"),
]
