from django.urls import path

from . import listing
from .views.export import task_list_export

urlpatterns = [
    path("list/", listing.task_list, name="list"),
    path("list/export/", task_list_export, name="list_export"),
]
