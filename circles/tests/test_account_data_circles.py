"""My circles in my account's data: the export carries my memberships, the invitations I sent,
the reports I filed and my mentoring; deleting my account takes my memberships away."""

import json

import pytest
from django.urls import reverse

from circles import services
from circles.models import Membership, Report
from people.services import account_delete

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


def _export(client, user) -> dict:
    client.force_login(user)
    return json.loads(client.get(reverse("people:export")).content)["circles"]


def test_the_export_has_my_circles(client, world, owner, member):
    circle = world["public"]
    services.invitation_create(circle=circle, inviter=member, email="friend@example.org", message="Viens !")
    services.report_create(circle=circle, reporter=member, about="Un message", reason="Spam")
    pair = services.mentoring_pair_create(circle=circle, organizer=owner, mentor=owner, mentee=member)
    services.mentoring_checkin_add(pair=pair, author=member, note="Premier café")
    data = _export(client, member)
    assert {m["circle"] for m in data["memberships"]} == {c.name for c in world.values()}
    assert [(i["email"], i["message"]) for i in data["invitations_sent"]] == [("friend@example.org", "Viens !")]
    assert [r["reason"] for r in data["reports_filed"]] == ["Spam"]
    assert data["mentoring"][0]["role"] == "mentee" and data["mentoring"][0]["checkins"][0]["note"] == "Premier café"
    assert data["circles_created"] == []
    assert len(_export(client, owner)["circles_created"]) == 4


def test_my_export_never_carries_what_others_filed_about_me(client, world, owner, member):
    services.report_create(circle=world["public"], reporter=member, reported=owner, reason="Propos déplacés")
    assert _export(client, owner)["reports_filed"] == []


def test_deleting_my_account_takes_my_memberships_and_keeps_the_circles(world, member):
    services.report_create(circle=world["public"], reporter=member, about="Un message", reason="Spam")
    account_delete(user=member, password=PASSWORD)
    assert not Membership.objects.filter(member_id=member.pk).exists()
    assert Report.objects.get().reporter is None  # the organizers keep the report, without the name
    assert world["public"].memberships.count() == 1
