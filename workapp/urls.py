from django.urls import path

from . import views

app_name = "workapp"

urlpatterns = [
    path("bind/", views.bind, name="bind"),
    path("dingtalk/workbench/", views.workbench, name="workbench"),
    path("<slug:provider>/start/", views.start, name="start"),
    path("<slug:provider>/callback/", views.callback, name="callback"),
]
