"""The JSON API: personal tokens, my profile (read and edit), the schema, and the tokens page."""

import datetime as dt
import hashlib
import html
import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from people.models import ApiToken, Discoverability
from people.services import api_token_create, api_token_revoke

pytestmark = pytest.mark.django_db

ME = "/api/me"


@pytest.fixture
def api():
    return Client()


@pytest.fixture
def owner_key(owner):
    return api_token_create(user=owner, name="Mon script").key


def _auth(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _patch(api, key, payload, **headers):
    return api.patch(ME, data=json.dumps(payload), content_type="application/json", **_auth(key), **headers)


# --- Tokens


def test_without_a_token_the_api_answers_401(api, owner):
    assert api.get(ME).status_code == 401
    assert api.get(ME, HTTP_AUTHORIZATION="Bearer ").status_code == 401
    assert api.get("/api/members").status_code == 401


def test_a_wrong_token_is_refused(api, owner_key):
    assert api.get(ME, **_auth("cer_" + "x" * 43)).status_code == 401
    assert api.get(ME, HTTP_AUTHORIZATION=f"Token {owner_key}").status_code == 401  # not the Bearer scheme


def test_a_valid_token_opens_the_api_and_records_its_first_use(api, owner, owner_key):
    assert ApiToken.objects.get(user=owner).last_used_at is None
    assert api.get(ME, **_auth(owner_key)).status_code == 200
    assert ApiToken.objects.get(user=owner).last_used_at is not None


def test_a_revoked_token_stops_working_at_once(api, owner, owner_key):
    assert api.get(ME, **_auth(owner_key)).status_code == 200
    api_token_revoke(user=owner, token_id=ApiToken.objects.get(user=owner).pk)
    assert api.get(ME, **_auth(owner_key)).status_code == 401


def test_an_expired_token_is_refused(api, owner, owner_key):
    assert api.get(ME, **_auth(owner_key)).status_code == 200
    ApiToken.objects.filter(user=owner).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert api.get(ME, **_auth(owner_key)).status_code == 401


def test_a_token_lives_90_days_unless_another_lifetime_is_chosen(owner):
    made = api_token_create(user=owner, name="Par défaut").token
    assert made.expires_at - made.created_at == pytest.approx(dt.timedelta(days=90), abs=dt.timedelta(seconds=5))
    made = api_token_create(user=owner, name="Une semaine", days=7).token
    assert made.expires_at - made.created_at == pytest.approx(dt.timedelta(days=7), abs=dt.timedelta(seconds=5))
    with pytest.raises(ValidationError):
        api_token_create(user=owner, name="Pour toujours", days=100_000)


def test_the_last_use_is_recorded_at_most_every_five_minutes_not_on_every_call(api, owner, owner_key):
    token = ApiToken.objects.get(user=owner)
    four_minutes_ago = timezone.now() - dt.timedelta(minutes=4)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=four_minutes_ago)
    assert api.get(ME, **_auth(owner_key)).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at == four_minutes_ago

    six_minutes_ago = timezone.now() - dt.timedelta(minutes=6)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=six_minutes_ago)
    assert api.get(ME, **_auth(owner_key)).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at > six_minutes_ago + dt.timedelta(minutes=5)


def test_the_token_of_a_deactivated_account_is_refused(api, owner, owner_key):
    owner.is_active = False
    owner.save()
    assert api.get(ME, **_auth(owner_key)).status_code == 401


# --- GET /api/me


def test_my_profile_comes_with_every_field_even_those_i_keep_to_myself(api, owner, owner_key):
    from people.services import objective_add

    objective_add(profile=owner.profile, text="Rencontrer trois growth marketers")
    data = api.get(ME, **_auth(owner_key)).json()
    assert data == {
        "id": owner.pk,
        "name": "Hélène Dupré",
        "headline": "Avocate en droit des affaires",
        "profession": "Avocat",
        "sector": "",
        "city": "Marseille",
        "languages": [],
        "skills": ["droit des contrats", "négociation"],
        "learning": ["growth marketing"],
        "values": ["Ouverture", "Franc-parler"],
        "formats": ["Petit-déjeuner"],
        "objectives": [{"text": "Rencontrer trois growth marketers", "target_date": None, "done": False}],
        "contact_email": "helene.dupre@example.org",
        "phone": "+33 6 11 22 33 44",  # "only me": the owner sees it
        "website": "",
    }


def test_labels_follow_the_callers_language(api, owner_key):
    data = api.get(ME, HTTP_ACCEPT_LANGUAGE="en", **_auth(owner_key)).json()
    assert data["profession"] == "Lawyer"
    assert data["values"] == ["Openness", "Direct talk"]


def test_each_token_sees_its_own_member(api, owner_key, member):
    member_key = api_token_create(user=member, name="t").key
    assert api.get(ME, **_auth(member_key)).json()["name"] == "Marc Leroy"
    assert api.get(ME, **_auth(owner_key)).json()["name"] == "Hélène Dupré"


# --- PATCH /api/me


def test_patching_changes_only_the_fields_sent(api, owner, owner_key):
    response = _patch(
        api,
        owner_key,
        {"headline": "Avocate, droit des start-up", "values": ["trust", "Sobriété heureuse", "Curiosity"]},
    )
    assert response.status_code == 200
    assert response.json()["headline"] == "Avocate, droit des start-up"
    assert response.json()["values"] == ["Confiance", "Sobriété heureuse", "Curiosité"]

    owner.profile.refresh_from_db()
    assert owner.profile.headline == "Avocate, droit des start-up"
    assert owner.profile.values == ["trust", "Sobriété heureuse", "curiosity"]
    assert owner.profile.skills == ["droit des contrats", "négociation"]  # not sent: unchanged
    assert owner.profile.phone == "+33 6 11 22 33 44"


def test_a_patched_free_profession_is_normalised(api, owner, owner_key):
    assert _patch(api, owner_key, {"profession": "", "profession_other": "Sophrologue"}).status_code == 200
    owner.profile.refresh_from_db()
    assert (owner.profile.profession, owner.profile.profession_key) == ("other", "other:sophrologue")


@pytest.mark.parametrize(
    "payload",
    [
        {"headline": "Nouveau titre", "profession": "astronaut"},  # one bad field spoils the whole request
        {"headline": "x" * 141},
        {"display_name": ""},
        {"time_zone": "Mars/Olympus_Mons"},
        {"website": "not a website"},
        {"contact_email": "not-an-email"},
        {"languages": ["fr", "klingon"]},
        {"formats": ["breakfast", "brunch"]},
        {"values": "openness"},  # not a list
        {"skills": {"a": 1}},
    ],
)
def test_bad_input_is_refused_with_422_and_changes_nothing(payload, api, owner, owner_key):
    before = api.get(ME, **_auth(owner_key)).json()
    response = _patch(api, owner_key, payload)
    assert response.status_code == 422, response.content
    assert api.get(ME, **_auth(owner_key)).json() == before


def test_a_refusal_says_what_is_wrong(api, owner_key):
    response = _patch(api, owner_key, {"languages": ["fr", "klingon"]}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    assert response.json()["detail"] == "Select a valid choice. klingon is not one of the available choices."


def test_a_body_that_is_not_json_is_refused(api, owner_key):
    response = api.patch(ME, data="headline=x", content_type="application/json", **_auth(owner_key))
    assert response.status_code in (400, 422)


def test_patching_needs_a_token(api, owner):
    assert api.patch(ME, data=json.dumps({"headline": "x"}), content_type="application/json").status_code == 401
    owner.profile.refresh_from_db()
    assert owner.profile.headline == "Avocate en droit des affaires"


# --- Schema


def test_the_openapi_schema_is_served_and_lists_my_profile(api):
    response = api.get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "Cercle API"
    assert {"get", "patch"} <= set(schema["paths"]["/api/me"])
    assert "/api/members/{user_id}" in schema["paths"]
    assert any(
        s.get("type") == "http" and s.get("scheme") == "bearer"
        for s in schema["components"]["securitySchemes"].values()
    )


@pytest.mark.parametrize("page", [{"offset": -1}, {"offset": 10**20}, {"limit": 0}, {"limit": 101}])
def test_a_members_page_out_of_bounds_is_refused_not_a_server_error(api, owner_key, page):
    assert api.get("/api/members", page, **_auth(owner_key)).status_code == 422


def test_a_members_page_tells_the_total(api, owner, owner_key, make_member):
    for name in ("Anne Aubert", "Bruno Berger", "Chloé Colin"):
        make_member(
            f"{name.split()[0].lower()}@example.org", display_name=name, discoverability=Discoverability.MEMBERS
        )
    data = api.get("/api/members", {"limit": 2, "offset": 1}, **_auth(owner_key)).json()
    assert [m["name"] for m in data["items"]] == ["Bruno Berger", "Chloé Colin"] and data["count"] == 3


def test_text_with_a_nul_character_is_refused_as_postgresql_could_not_store_it(api, owner_key):
    # PostgreSQL refuses NUL in text: a 500 there; refused here, as Django's forms do.
    response = api.get("/api/members", {"q": "a\x00b"}, **_auth(owner_key))
    assert response.status_code == 400 and "NUL" in response.json()["detail"]
    assert _patch(api, owner_key, {"headline": "a\x00b"}).status_code == 400  # "cannot parse the body"
    assert api.get("/api/circles/a%00b", **_auth(owner_key)).status_code == 422  # not a circle's address


def test_there_are_no_interactive_docs_loading_scripts_from_a_cdn(api):
    assert api.get("/api/docs").status_code == 404


# --- The tokens page


def _page(response) -> str:
    return html.unescape(response.content.decode())


def test_a_new_token_is_shown_once_and_only_its_hash_is_stored(client_of, owner, api):
    client = client_of(owner)
    created = _page(client.post(reverse("people:api_tokens"), {"name": "Zapier"}))
    key = re.search(r'<code class="token">(cer_[\w-]+)</code>', created).group(1)

    token = ApiToken.objects.get(user=owner)
    assert token.name == "Zapier"
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert token.prefix == key[:8]
    stored = [str(value) for value in ApiToken.objects.filter(user=owner).values_list().get()]
    assert not any(key in value for value in stored)

    later = _page(client.get(reverse("people:api_tokens")))
    assert key not in later  # shown once
    assert "Zapier" in later and f"{key[:8]}…" in later

    assert api.get(ME, **_auth(key)).json()["name"] == "Hélène Dupré"


def test_the_page_makes_a_token_for_the_chosen_lifetime_and_shows_its_expiry_and_last_use(client_of, owner, api):
    client = client_of(owner)
    created = _page(client.post(reverse("people:api_tokens"), {"name": "Zapier", "days": "30"}))
    key = re.search(r'<code class="token">(cer_[\w-]+)</code>', created).group(1)
    token = ApiToken.objects.get(user=owner)
    assert token.expires_at.date() == (timezone.now() + dt.timedelta(days=30)).date()
    assert "—" in created and 'class="expired"' not in created  # never used yet

    api.get(ME, **_auth(key))
    token.refresh_from_db()
    page = _page(client.get(reverse("people:api_tokens")))
    assert date_format(timezone.localtime(token.expires_at), "SHORT_DATETIME_FORMAT") in page
    assert date_format(timezone.localtime(token.last_used_at), "SHORT_DATETIME_FORMAT") in page

    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(days=1))
    assert 'class="expired"' in _page(client.get(reverse("people:api_tokens")))


def test_revoking_a_token_on_the_page_ends_its_access(client_of, owner, api):
    key = api_token_create(user=owner, name="Zapier").key
    token = ApiToken.objects.get(user=owner)
    response = client_of(owner).post(reverse("people:api_token_revoke", args=[token.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("people:api_tokens")
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    assert api.get(ME, **_auth(key)).status_code == 401
