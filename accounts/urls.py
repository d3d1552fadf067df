from django.urls import path

from . import audit_views, pick_views, twofactor_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("two-factor/", twofactor_views.verify, name="otp_verify"),
    path("two-factor/enrol/", twofactor_views.enrol, name="otp_enrol"),
    path("two-factor/recovery-codes/", twofactor_views.recovery_codes, name="otp_recovery"),
    path("two-factor/accounts/", twofactor_views.second_factors, name="second_factors"),
    path("two-factor/accounts/<int:pk>/reset/", twofactor_views.second_factor_reset, name="second_factor_reset"),
    path("import/", views.import_page, name="import"),
    path("import/template/<slug:kind>.xlsx", views.import_template, name="import_template"),
    path("audit/", audit_views.audit_log, name="audit_log"),
    path("audit/export.xlsx", audit_views.audit_export, name="audit_export"),
    path("pick/<slug:kind>/", pick_views.pick, name="pick"),
]
