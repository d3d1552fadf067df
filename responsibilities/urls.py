from django.urls import path

from . import views

app_name = "responsibilities"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.list_create, name="list_create"),
    path("copy/", views.copy_year, name="copy_year"),
    path("defaults/", views.load_defaults, name="load_defaults"),
    path("holidays/", views.holidays, name="holidays"),
    path("dispatch/", views.dispatch, name="dispatch"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.list_edit, name="list_edit"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/archive/", views.archive, name="archive"),
    path("<int:pk>/export/", views.export_list, name="export"),
    path("<int:pk>/import/", views.import_list, name="import"),
    path("<int:pk>/items/new/", views.item_create, name="item_create"),
    path("items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("items/<int:pk>/move/<str:direction>/", views.item_move, name="item_move"),
    path("items/<int:pk>/toggle/", views.item_toggle, name="item_toggle"),
    path("items/<int:pk>/optouts/", views.optouts, name="optouts"),
    path("optouts/<int:pk>/end/", views.optout_end, name="optout_end"),
]
