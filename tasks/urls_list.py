from django.urls import path

from . import listing

urlpatterns = [
    path("list/", listing.task_list, name="list"),
]
