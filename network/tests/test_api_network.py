"""My network over the API: my contacts and interactions, with a personal token, nobody else's."""

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from network import services
from network.models import Contact, Interaction
from people.services import api_token_create

pytestmark = pytest.mark.django_db

CONTACTS = "/api/network/contacts"
INTERACTIONS = "/api/network/interactions"


@pytest.fixture
def api():
    return Client()


def _auth(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=user, name='script').key}"}


@pytest.fixture
def mine(owner):
    return _auth(owner)


@pytest.fixture
def theirs(member):
    return _auth(member)


def _post(api, url, payload, auth):
    return api.post(url, data=json.dumps(payload), content_type="application/json", **auth)


def _patch(api, url, payload, auth):
    return api.patch(url, data=json.dumps(payload), content_type="application/json", **auth)


@pytest.fixture
def network(owner, contact_of):
    ines = contact_of(
        owner, full_name="Inès Moreau", company="Studio Lumen", city="Marseille", labels=["client"], cadence_days=30
    )
    paul = contact_of(owner, full_name="Paul Girard", company="Atelier Nord", labels=["clients", "mentor"])
    zoe = contact_of(owner, full_name="Zoé Martin", notes="passionnée d'escalade")
    services.contact_set_archived(contact=zoe, archived=True)
    return {"ines": ines, "paul": paul, "zoe": zoe}


def _names(response) -> list[str]:
    assert response.status_code == 200
    return [c["full_name"] for c in response.json()["items"]]


# --- Without a token


def test_without_a_token_nothing_is_served(api, network):
    ines = network["ines"]
    assert api.get(CONTACTS).status_code == 401
    assert api.get(f"{CONTACTS}/{ines.pk}").status_code == 401
    assert _post(api, CONTACTS, {"full_name": "X"}, {}).status_code == 401
    assert _patch(api, f"{CONTACTS}/{ines.pk}", {"archived": True}, {}).status_code == 401
    assert api.get(INTERACTIONS).status_code == 401
    assert _post(api, INTERACTIONS, {"contact_ids": [ines.pk], "kind": "coffee"}, {}).status_code == 401
    assert api.get(CONTACTS, HTTP_AUTHORIZATION="Bearer cer_not-a-real-token").status_code == 401
    ines.refresh_from_db()
    assert not ines.archived and not Contact.objects.filter(full_name="X").exists()


# --- Contacts


def test_listing_my_contacts_gives_the_active_ones_by_name(api, mine, network):
    response = api.get(CONTACTS, **mine)
    assert _names(response) == ["Inès Moreau", "Paul Girard"]
    ines = response.json()["items"][0]
    assert ines["company"] == "Studio Lumen"
    assert ines["labels"] == ["client"]
    assert ines["cadence_days"] == 30
    assert ines["archived"] is False
    assert ines["next_due_on"] == (timezone.localdate() + dt.timedelta(days=30)).isoformat()


def test_searching_works_like_the_contacts_page(api, mine, network):
    assert _names(api.get(CONTACTS, {"q": "INES"}, **mine)) == ["Inès Moreau"]
    assert _names(api.get(CONTACTS, {"q": "atelier"}, **mine)) == ["Paul Girard"]
    assert _names(api.get(CONTACTS, {"label": "client"}, **mine)) == ["Inès Moreau"]
    assert _names(api.get(CONTACTS, {"archived": "true"}, **mine)) == ["Zoé Martin"]
    assert _names(api.get(CONTACTS, {"q": "escalade", "archived": "true"}, **mine)) == ["Zoé Martin"]
    assert _names(api.get(CONTACTS, {"limit": 1, "offset": 1}, **mine)) == ["Paul Girard"]


def test_getting_one_of_my_contacts(api, mine, network):
    response = api.get(f"{CONTACTS}/{network['paul'].pk}", **mine)
    assert response.status_code == 200
    assert response.json()["labels"] == ["clients", "mentor"]


def test_creating_a_contact_answers_201_with_the_cleaned_contact(api, owner, mine):
    response = _post(
        api,
        CONTACTS,
        {
            "full_name": "  Léa Fontaine ",
            "emails": ["lea@example.org", "LEA@example.org"],
            "phones": ["06 12 34 56 78"],
            "labels": ["mentor", " mentor "],
            "met_on": "2025-03-14",
            "cadence_days": 60,
            "sector": "tech",
            "linkedin_url": "https://www.linkedin.com/in/lea",
        },
        mine,
    )
    assert response.status_code == 201
    data = response.json()
    assert data["emails"] == ["lea@example.org"]
    assert data["labels"] == ["mentor"]
    assert data["met_on"] == "2025-03-14"
    assert data["next_due_on"] == "2025-05-13"
    contact = Contact.objects.get(pk=data["id"])
    assert contact.owner == owner
    assert contact.source == "manual"
    # The new contact is found like any other.
    assert "Léa Fontaine" in [c["full_name"].strip() for c in api.get(CONTACTS, {"q": "lea"}, **mine).json()["items"]]


@pytest.mark.parametrize(
    "payload",
    [
        {"full_name": ""},
        {"full_name": "Léa", "sector": "astrology"},
        {"full_name": "Léa", "linkedin_url": "not a url"},
        {"full_name": "Léa", "emails": ["lea at example dot org"]},
        {"full_name": "Léa", "met_on": "yesterday"},
        {"full_name": "Léa", "cadence_days": -5},
        {"company": "No name"},
    ],
)
def test_an_invalid_contact_is_refused_and_nothing_is_written(api, owner, mine, payload):
    response = _post(api, CONTACTS, payload, mine)
    assert response.status_code == 422, response.content
    assert not Contact.objects.filter(owner=owner).exists()


def test_patching_changes_only_the_fields_sent(api, mine, network):
    ines = network["ines"]
    response = _patch(api, f"{CONTACTS}/{ines.pk}", {"company": "Atelier Sud", "labels": ["mentor"]}, mine)
    assert response.status_code == 200
    assert response.json()["company"] == "Atelier Sud"
    ines.refresh_from_db()
    assert (ines.company, ines.labels, ines.city, ines.cadence_days) == ("Atelier Sud", ["mentor"], "Marseille", 30)
    assert _names(api.get(CONTACTS, {"label": "mentor"}, **mine)) == ["Inès Moreau", "Paul Girard"]


def test_patching_archived_archives_and_brings_back(api, owner, mine, network):
    ines = network["ines"]
    response = _patch(api, f"{CONTACTS}/{ines.pk}", {"archived": True}, mine)
    assert response.status_code == 200 and response.json()["archived"] is True
    assert response.json()["next_due_on"] is None
    assert _names(api.get(CONTACTS, **mine)) == ["Paul Girard"]

    response = _patch(api, f"{CONTACTS}/{ines.pk}", {"archived": False, "cadence_days": None}, mine)
    assert response.status_code == 200
    ines.refresh_from_db()
    assert (ines.archived, ines.cadence_days, ines.next_due_on) == (False, None, None)


@pytest.mark.parametrize(
    "payload",
    [{"full_name": ""}, {"full_name": None}, {"sector": "astrology"}, {"emails": ["nope"]}, {"linkedin_url": "x"}],
)
def test_an_invalid_patch_is_refused_and_changes_nothing(api, mine, network, payload):
    ines = network["ines"]
    response = _patch(api, f"{CONTACTS}/{ines.pk}", {**payload, "company": "Changed"}, mine)
    assert response.status_code == 422, response.content
    ines.refresh_from_db()
    assert (ines.full_name, ines.company, ines.sector) == ("Inès Moreau", "Studio Lumen", "")


def test_unknown_and_other_members_contacts_are_404(api, mine, theirs, network):
    ines = network["ines"]
    assert api.get(f"{CONTACTS}/999999", **mine).status_code == 404
    assert api.get(f"{CONTACTS}/{ines.pk}", **theirs).status_code == 404
    assert _patch(api, f"{CONTACTS}/{ines.pk}", {"archived": True, "notes": "mine now"}, theirs).status_code == 404
    assert _patch(api, f"{CONTACTS}/999999", {"archived": True}, mine).status_code == 404
    assert api.get(CONTACTS, **theirs).json()["items"] == []
    assert api.get(CONTACTS, {"archived": "true"}, **theirs).json()["items"] == []
    ines.refresh_from_db()
    assert not ines.archived and ines.notes == ""


# --- Interactions


def test_logging_an_interaction_answers_201_and_resets_the_clock(api, owner, mine, network):
    ines, paul = network["ines"], network["paul"]
    response = _post(
        api,
        INTERACTIONS,
        {"contact_ids": [ines.pk, paul.pk], "kind": "lunch", "occurred_on": "2025-06-02", "note": "À trois"},
        mine,
    )
    assert response.status_code == 201
    data = response.json()
    assert (data["kind"], data["occurred_on"], data["note"]) == ("lunch", "2025-06-02", "À trois")
    assert sorted(data["contact_ids"]) == sorted([ines.pk, paul.pk])
    ines.refresh_from_db()
    assert ines.last_interaction_on == dt.date(2025, 6, 2)

    today = _post(api, INTERACTIONS, {"contact_ids": [ines.pk], "kind": "coffee"}, mine)
    assert today.status_code == 201 and today.json()["occurred_on"] == timezone.localdate().isoformat()


def test_listing_interactions_newest_first_and_per_contact(api, owner, mine, network):
    ines, paul = network["ines"], network["paul"]
    services.interaction_log(owner=owner, contacts=[ines], kind="call", occurred_on=dt.date(2025, 1, 5))
    services.interaction_log(owner=owner, contacts=[paul], kind="coffee", occurred_on=dt.date(2025, 2, 5))
    services.interaction_log(owner=owner, contacts=[ines, paul], kind="lunch", occurred_on=dt.date(2025, 3, 5))

    everything = api.get(INTERACTIONS, **mine).json()["items"]
    assert [i["kind"] for i in everything] == ["lunch", "coffee", "call"]
    with_ines = api.get(INTERACTIONS, {"contact_id": ines.pk}, **mine).json()["items"]
    assert [i["kind"] for i in with_ines] == ["lunch", "call"]
    assert sorted(with_ines[0]["contact_ids"]) == sorted([ines.pk, paul.pk])


@pytest.mark.parametrize("path", [CONTACTS, INTERACTIONS])
@pytest.mark.parametrize("page", [{"offset": -1}, {"offset": 10**20}, {"limit": 0}, {"limit": 101}])
def test_a_page_out_of_bounds_is_refused_with_the_bounds_not_a_server_error(api, mine, network, path, page):
    response = api.get(path, page, **mine)
    assert response.status_code == 422, response.content
    assert next(iter(page)) in str(response.json()["detail"])


@pytest.mark.parametrize("fields", [{"cadence_days": 3_000_000}, {"cadence_days": 30, "met_on": "9999-12-31"}])
def test_a_contact_due_after_the_year_9999_is_never_due_not_a_server_error(api, mine, fields):
    response = _post(api, CONTACTS, {"full_name": "Léa Fontaine", **fields}, mine)
    assert response.status_code == 201 and response.json()["next_due_on"] is None


def test_a_page_tells_the_total(api, mine, network):
    assert api.get(CONTACTS, {"limit": 1}, **mine).json() == {
        "items": [api.get(f"{CONTACTS}/{network['ines'].pk}", **mine).json()],
        "count": 2,
    }


@pytest.mark.parametrize(
    "payload",
    [
        {"kind": "tea ceremony"},
        {"kind": "coffee", "occurred_on": "2999-01-01"},
        {"kind": "coffee", "occurred_on": "someday"},
        {"kind": "coffee", "contact_ids": []},
    ],
)
def test_an_invalid_interaction_is_refused_and_nothing_is_written(api, owner, mine, network, payload):
    response = _post(api, INTERACTIONS, {"contact_ids": [network["ines"].pk], **payload}, mine)
    assert response.status_code == 422, response.content
    assert not Interaction.objects.filter(owner=owner).exists()
    network["ines"].refresh_from_db()
    assert network["ines"].last_interaction_on is None


def test_another_members_contacts_and_interactions_are_404(api, owner, mine, theirs, network):
    ines = network["ines"]
    services.interaction_log(owner=owner, contacts=[ines], kind="lunch")
    assert _post(api, INTERACTIONS, {"contact_ids": [ines.pk], "kind": "coffee"}, theirs).status_code == 404
    assert api.get(INTERACTIONS, {"contact_id": ines.pk}, **theirs).status_code == 404
    assert api.get(INTERACTIONS, **theirs).json()["items"] == []
    # Mixing one of mine with an unknown id writes nothing either.
    assert _post(api, INTERACTIONS, {"contact_ids": [ines.pk, 999999], "kind": "coffee"}, mine).status_code == 404
    assert api.get(INTERACTIONS, {"contact_id": 999999}, **mine).status_code == 404
    assert Interaction.objects.filter(owner=owner).count() == 1


def test_the_schema_describes_the_network_routes(api):
    paths = api.get("/api/openapi.json").json()["paths"]
    assert {CONTACTS, f"{CONTACTS}/{{contact_id}}", INTERACTIONS} <= set(paths)
