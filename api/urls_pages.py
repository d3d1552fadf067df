from django.urls import path

from . import pages

app_name = "tokens"

urlpatterns = [
    path("", pages.token_list, name="list"),
    path("new/", pages.token_create, name="create"),
    path("<int:pk>/revoke/", pages.token_revoke, name="revoke"),
    path("all/", pages.token_all, name="all"),
]
