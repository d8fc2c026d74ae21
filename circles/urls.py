from django.urls import path

from circles import views

app_name = "circles"

urlpatterns = [
    path("", views.browse, name="browse"),
    path("new/", views.create, name="create"),
    path("mine/", views.mine, name="mine"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/members/", views.members, name="members"),
    path("<slug:slug>/join/", views.join, name="join"),
    path("<slug:slug>/leave/", views.leave, name="leave"),
    path("<slug:slug>/participation/", views.participation, name="participation"),
    path("<slug:slug>/pairing/", views.pairing, name="pairing"),
    path("<slug:slug>/invite/", views.invite, name="invite"),
    path("<slug:slug>/report/", views.report, name="report"),
    path("<slug:slug>/mentoring/<int:pair_id>/check-in/", views.mentoring_checkin, name="mentoring_checkin"),
    path("<slug:slug>/manage/", views.manage, name="manage"),
    path("<slug:slug>/edit/", views.edit, name="edit"),
    path("<slug:slug>/requests/<int:membership_id>/", views.request_decide, name="request_decide"),
    path("<slug:slug>/members/<int:membership_id>/role/", views.member_role, name="member_role"),
    path("<slug:slug>/members/<int:membership_id>/remove/", views.member_remove, name="member_remove"),
    path("<slug:slug>/announce/", views.announce, name="announce"),
    path("<slug:slug>/reports/<int:report_id>/resolve/", views.report_resolve, name="report_resolve"),
    path("<slug:slug>/mentoring/", views.mentoring_create, name="mentoring_create"),
    path("<slug:slug>/mentoring/<int:pair_id>/end/", views.mentoring_end, name="mentoring_end"),
]
