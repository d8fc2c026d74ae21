from django.urls import path

from vouches import views

app_name = "vouches"

urlpatterns = [
    path("", views.index, name="index"),
    path("members/<int:user_id>/write/", views.write, name="write"),
    path("<int:vouch_id>/edit/", views.edit, name="edit"),
    path("<int:vouch_id>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:vouch_id>/approve/", views.approve, name="approve"),
    path("<int:vouch_id>/remove/", views.remove, name="remove"),
]
