from django.urls import path

from intros import views

app_name = "intros"

urlpatterns = [
    path("", views.index, name="index"),
    path("members/<int:user_id>/ask/", views.request_send, name="request_send"),
    path("requests/<int:request_id>/accept/", views.request_accept, name="request_accept"),
    path("requests/<int:request_id>/decline/", views.request_decline, name="request_decline"),
    path("requests/<int:request_id>/ignore/", views.request_ignore, name="request_ignore"),
    path("requests/<int:request_id>/withdraw/", views.request_withdraw, name="request_withdraw"),
    path("members/<int:user_id>/remove/", views.connection_remove, name="connection_remove"),
    path("members/<int:user_id>/block/", views.block, name="block"),
    path("members/<int:user_id>/unblock/", views.unblock, name="unblock"),
    path("members/<int:user_id>/report/", views.report, name="report"),
    path("introductions/", views.introductions, name="introductions"),
    path("introduce/", views.introduce, name="introduce"),
    path("introductions/<int:introduction_id>/accept/", views.introduction_accept, name="introduction_accept"),
    path("introductions/<int:introduction_id>/decline/", views.introduction_decline, name="introduction_decline"),
    path("introductions/<int:introduction_id>/met/", views.introduction_met, name="introduction_met"),
    path("members/<int:user_id>/paths/", views.paths, name="paths"),
    path("members/<int:user_id>/ask-introduction/", views.ask_create, name="ask_create"),
    path("asks/<int:ask_id>/introduce/", views.ask_introduce, name="ask_introduce"),
    path("asks/<int:ask_id>/decline/", views.ask_decline, name="ask_decline"),
    path("asks/<int:ask_id>/withdraw/", views.ask_withdraw, name="ask_withdraw"),
]
