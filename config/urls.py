from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from accounts import views as account_views

handler404 = "api.exceptions.page_not_found"

urlpatterns = [
    path("", account_views.home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("lists/", include("responsibilities.urls")),
    path("tasks/", include("tasks.urls")),
    path("inspections/", include("inspections.urls")),
    path("notifications/", include("notifications.urls")),
    path("reports/", include("reports.urls")),
    path("assessment/", include("assessment.urls")),
    path("api/v1/", include("api.urls")),
    path("settings/tokens/", include("api.urls_pages")),
    path("binders/", include("binders.urls")),
    path("workapp/", include("workapp.urls")),
    path("letters/", include("letters.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
]
