from django.urls import path

from people import views

app_name = "people"

urlpatterns = [
    path("me/", views.me, name="me"),
    path("me/edit/", views.profile_edit, name="profile_edit"),
    path("me/privacy/", views.consent_edit, name="consent"),
    path("me/photo/", views.photo_upload, name="photo_upload"),
    path("me/photo/remove/", views.photo_remove, name="photo_remove"),
    path("me/objectives/", views.objective_add, name="objective_add"),
    path("me/objectives/<int:objective_id>/toggle/", views.objective_toggle, name="objective_toggle"),
    path("me/objectives/<int:objective_id>/delete/", views.objective_delete, name="objective_delete"),
    path("me/card/renew/", views.card_renew, name="card_renew"),
    path("me/export.json", views.account_export_view, name="export"),
    path("me/delete/", views.account_delete_view, name="delete"),
    path("me/api-tokens/", views.api_tokens, name="api_tokens"),
    path("me/api-tokens/<int:token_id>/revoke/", views.api_token_revoke, name="api_token_revoke"),
    path("members/", views.member_list, name="member_list"),
    path("members/<int:user_id>/", views.member_detail, name="member_detail"),
    path("members/<int:user_id>/photo/", views.member_photo, name="member_photo"),
    path("members/<int:user_id>/vcard/", views.member_vcard, name="member_vcard"),
    path("c/<str:token>/", views.card, name="card"),
    path("c/<str:token>/qr.svg", views.card_qr, name="card_qr"),
    path("c/<str:token>/vcard/", views.card_vcard, name="card_vcard"),
    path("c/<str:token>/photo/", views.card_photo, name="card_photo"),
    path("language/", views.set_language, name="set_language"),
]
