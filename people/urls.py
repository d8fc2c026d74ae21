from django.urls import include, path

from people import views

app_name = "people"

# Grouped by prefix: resolving a member's page tries a few prefixes, not every pattern.
me_patterns = [
    path("", views.me, name="me"),
    path("edit/", views.profile_edit, name="profile_edit"),
    path("privacy/", views.consent_edit, name="consent"),
    path("photo/", views.photo_upload, name="photo_upload"),
    path("photo/remove/", views.photo_remove, name="photo_remove"),
    path("objectives/", views.objective_add, name="objective_add"),
    path("objectives/<int:objective_id>/toggle/", views.objective_toggle, name="objective_toggle"),
    path("objectives/<int:objective_id>/delete/", views.objective_delete, name="objective_delete"),
    path("card/renew/", views.card_renew, name="card_renew"),
    path("delete/", views.account_delete_view, name="delete"),
    path("api-tokens/", views.api_tokens, name="api_tokens"),
    path("api-tokens/<int:token_id>/revoke/", views.api_token_revoke, name="api_token_revoke"),
    path("export.json", views.account_export_view, name="export"),
]
member_patterns = [
    path("", views.member_list, name="member_list"),
    path("<int:user_id>/", views.member_detail, name="member_detail"),
    path("<int:user_id>/photo/", views.member_photo, name="member_photo"),
    path("<int:user_id>/vcard/", views.member_vcard, name="member_vcard"),
]
card_patterns = [
    path("<str:token>/", views.card, name="card"),
    path("<str:token>/qr.svg", views.card_qr, name="card_qr"),
    path("<str:token>/vcard/", views.card_vcard, name="card_vcard"),
    path("<str:token>/photo/", views.card_photo, name="card_photo"),
]
urlpatterns = [
    path("members/", include(member_patterns)),
    path("me/", include(me_patterns)),
    path("c/", include(card_patterns)),
    path("language/", views.set_language, name="set_language"),
]
