from django.urls import path

from . import views

app_name = "binders"

urlpatterns = [
    path("", views.index, name="index"),
    path("request/", views.request_binder, name="request"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/retry/", views.retry, name="retry"),
    path("<int:pk>/pdf/", views.download_pdf, name="pdf"),
    path("<int:pk>/zip/", views.download_zip, name="zip"),
]
