"""My network in my account's data: the JSON export carries it, deleting the account takes it away."""

import datetime as dt
import json

import pytest
from django.urls import reverse

from network import services
from network.models import Contact, Interaction, ReviewDecision, Rhythm
from people.services import account_delete

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


@pytest.fixture
def owners_network(owner, member, contact_of):
    ines = contact_of(
        owner,
        full_name="Inès Moreau",
        emails=["ines@example.org"],
        phones=["06 12 34 56 78"],
        labels=["client"],
        cadence_days=30,
        met_on=dt.date(2024, 9, 1),
        notes="Aime le jazz",
    )
    paul = contact_of(owner, full_name="Paul Girard", member=member)
    services.interaction_log(owner=owner, contacts=[ines, paul], kind="lunch", occurred_on=dt.date(2025, 3, 12))
    services.interaction_log(owner=owner, contacts=[ines], kind="help_received", note="Une intro précieuse")
    services.rhythm_update(owner=owner, weekly_goal=2, goal_kinds=["breakfast", "lunch"])
    services.review_decide(owner=owner, contact=paul, decision="keep", round=2025)
    return {"ines": ines, "paul": paul}


@pytest.fixture
def members_network(member, owner, contact_of):
    """Marc's own network, which names Hélène (linked to her account) and must never reach her export."""
    helene = contact_of(member, full_name="Hélène Dupré (vue par Marc)", member=owner, notes="Avocate, très réactive")
    services.interaction_log(owner=member, contacts=[helene], kind="coffee", note="Café secret de Marc")
    services.rhythm_update(owner=member, weekly_goal=5, goal_kinds=["call"])
    services.review_decide(owner=member, contact=helene, decision="reconnect", round=2025)
    return helene


def _export(client) -> dict:
    response = client.get(reverse("people:export"))
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_export_holds_my_contacts_interactions_rhythm_and_review(client_of, owner, owners_network, members_network):
    network = _export(client_of(owner))["network"]
    ines, paul = owners_network["ines"], owners_network["paul"]

    by_name = {c["full_name"]: c for c in network["contacts"]}
    assert set(by_name) == {"Inès Moreau", "Paul Girard"}
    exported = by_name["Inès Moreau"]
    assert exported["id"] == ines.pk
    assert exported["emails"] == ["ines@example.org"]
    assert exported["phones"] == ["06 12 34 56 78"]
    assert exported["labels"] == ["client"]
    assert exported["cadence_days"] == 30
    assert exported["met_on"] == "2024-09-01"
    assert exported["notes"] == "Aime le jazz"
    assert exported["archived"] is False
    assert by_name["Paul Girard"]["member_id"] == paul.member_id

    interactions = {i["kind"]: i for i in network["interactions"]}
    assert set(interactions) == {"lunch", "help_received"}
    assert interactions["lunch"]["occurred_on"] == "2025-03-12"
    assert interactions["lunch"]["contact_ids"] == sorted([ines.pk, paul.pk])
    assert interactions["help_received"]["note"] == "Une intro précieuse"

    assert network["rhythm"] == {"weekly_goal": 2, "goal_kinds": ["breakfast", "lunch"]}
    assert [(d["contact_id"], d["round"], d["decision"]) for d in network["review"]] == [(paul.pk, 2025, "keep")]


def test_the_export_holds_nothing_of_another_members_network(client_of, owner, owners_network, members_network):
    text = json.dumps(_export(client_of(owner))["network"], ensure_ascii=False)
    for foreign in ("vue par Marc", "Avocate, très réactive", "Café secret de Marc", "coffee", "reconnect", '"call"'):
        assert foreign not in text, foreign

    theirs = _export(client_of(Contact.objects.get(pk=members_network.pk).owner))["network"]
    assert [c["full_name"] for c in theirs["contacts"]] == ["Hélène Dupré (vue par Marc)"]
    assert [i["note"] for i in theirs["interactions"]] == ["Café secret de Marc"]
    assert theirs["rhythm"] == {"weekly_goal": 5, "goal_kinds": ["call"]}
    assert "Inès" not in json.dumps(theirs, ensure_ascii=False)


def test_a_member_without_a_network_exports_an_empty_one(client_of, stranger):
    network = _export(client_of(stranger))["network"]
    assert network["contacts"] == [] and network["interactions"] == [] and network["review"] == []
    assert network["rhythm"] == {"weekly_goal": 1, "goal_kinds": ["lunch", "coffee"]}


def test_deleting_my_account_takes_my_network_with_it(owner, member, owners_network, members_network):
    owner_id = owner.pk
    account_delete(user=owner, password=PASSWORD)

    assert not Contact.objects.filter(owner_id=owner_id).exists()
    assert not Interaction.objects.filter(owner_id=owner_id).exists()
    assert not ReviewDecision.objects.filter(owner_id=owner_id).exists()
    assert not Rhythm.objects.filter(owner_id=owner_id).exists()
    assert not Interaction.contacts.through.objects.filter(
        contact_id__in=[c.pk for c in owners_network.values()]
    ).exists()


def test_another_members_notes_about_me_survive_my_deletion_without_the_link(owner, member, members_network):
    account_delete(user=owner, password=PASSWORD)

    helene = Contact.objects.get(pk=members_network.pk)
    assert helene.owner == member
    assert helene.member is None
    assert helene.full_name == "Hélène Dupré (vue par Marc)"
    assert helene.notes == "Avocate, très réactive"
    assert [i.note for i in helene.interactions.all()] == ["Café secret de Marc"]
    assert ReviewDecision.objects.get(owner=member).decision == "reconnect"
    assert services.rhythm_of(member).weekly_goal == 5


def test_a_contact_linked_to_the_deleted_member_still_opens_for_its_owner(client_of, owner, member, members_network):
    account_delete(user=owner, password=PASSWORD)
    response = client_of(member).get(reverse("network:contact_detail", args=[members_network.pk]))
    assert response.status_code == 200
    assert "Avocate, très réactive" in response.content.decode()


def test_a_wrong_password_keeps_the_network(owner, owners_network):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        account_delete(user=owner, password="not my password")
    assert Contact.objects.filter(owner=owner).count() == 2
    assert Interaction.objects.filter(owner=owner).count() == 2
