from django.urls import path

from referrals import views

app_name = "referrals"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:referral_id>/", views.detail, name="detail"),
    path("<int:referral_id>/status/", views.update_status, name="update_status"),
    path("<int:referral_id>/withdraw/", views.withdraw, name="withdraw"),
    path("clubs/<slug:slug>/give/", views.give, name="give"),
    path("clubs/<slug:slug>/statistics/", views.stats, name="stats"),
]
