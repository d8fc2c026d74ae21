"""A member's own data: the JSON export, and deleting the account for good."""

import html
import json

import pytest
from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from people.models import ApiToken, Discoverability, Level, Objective, Profile, User
from people.services import api_token_create, consent_update, objective_add, photo_set
from people.tests.images import png_upload

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


def _text(response) -> str:
    return html.unescape(response.content.decode())


# --- Export


@pytest.fixture
def owner_with_data(owner, member):
    objective_add(profile=owner.profile, text="Rencontrer trois growth marketers")
    consent_update(profile=owner.profile, discoverability=Discoverability.MEMBERS, visibility={"city": Level.ONLY_ME})
    api_token_create(user=owner, name="Mon script")
    # Another member's data, which must never leak into the owner's export.
    objective_add(profile=member.profile, text="Objectif secret de Marc")
    api_token_create(user=member, name="Jeton de Marc")
    return owner


def _export(client):
    response = client.get(reverse("people:export"))
    assert response.status_code == 200
    return response, json.loads(response.content)


def test_the_export_is_a_json_download_of_the_profile_objectives_and_consent(client_of, owner_with_data):
    response, data = _export(client_of(owner_with_data))
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]

    assert data["account"]["email"] == "helene.dupre@example.org"
    assert data["account"]["email_addresses"] == [
        {"email": "helene.dupre@example.org", "verified": True, "primary": True}
    ]
    profile = data["profile"]
    assert profile["display_name"] == "Hélène Dupré"
    assert profile["headline"] == "Avocate en droit des affaires"
    assert profile["city"]["name"] == "Marseille"
    assert profile["skills"] == ["droit des contrats", "négociation"]
    assert profile["values"] == ["openness", "direct_talk"]
    assert profile["phone"] == "+33 6 11 22 33 44"
    assert profile["objectives"] == [{"text": "Rencontrer trois growth marketers", "target_date": None, "done": False}]
    assert data["consent"]["discoverability"] == "members"
    assert data["consent"]["visibility"]["city"] == "only_me"
    assert [t["name"] for t in data["api_tokens"]] == ["Mon script"]


def test_the_export_never_contains_another_members_data(client_of, owner_with_data, member):
    response, data = _export(client_of(owner_with_data))
    text = response.content.decode()
    for foreign in ("Marc Leroy", "marc.leroy@example.org", "Objectif secret de Marc", "Jeton de Marc", "Lyon"):
        assert foreign not in text


def test_the_export_holds_no_secret(client_of, owner_with_data):
    response, data = _export(client_of(owner_with_data))
    text = response.content.decode()
    token = ApiToken.objects.get(user=owner_with_data)
    assert token.key_hash not in text
    assert owner_with_data.password not in text


def test_each_member_downloads_only_their_own_export(client_of, owner_with_data, member):
    _response, data = _export(client_of(member))
    assert data["account"]["email"] == "marc.leroy@example.org"
    assert [o["text"] for o in data["profile"]["objectives"]] == ["Objectif secret de Marc"]
    assert "Hélène" not in json.dumps(data, ensure_ascii=False)


def test_an_anonymous_visitor_is_sent_to_log_in_instead_of_downloading(client, owner_with_data):
    response = client.get(reverse("people:export"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# --- Deletion


def _logged_in_client(user) -> Client:
    """A browser that logged in through the real log-in form (so allauth records the session)."""
    client = Client()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, "the log-in should succeed"
    assert client.get(reverse("people:me")).status_code == 200
    return client


def test_a_wrong_password_keeps_the_account_and_says_why(owner):
    client = _logged_in_client(owner)
    response = client.post(reverse("people:delete"), {"password": "not my password"})
    assert response.status_code == 200
    assert "Le mot de passe est incorrect." in _text(response)
    assert User.objects.filter(pk=owner.pk).exists()
    assert client.get(reverse("people:me")).status_code == 200  # still logged in


def test_an_empty_password_deletes_nothing(owner):
    client = _logged_in_client(owner)
    assert client.post(reverse("people:delete"), {"password": ""}).status_code == 200
    assert User.objects.filter(pk=owner.pk).exists()


def test_deleting_the_account_removes_everything_and_ends_every_session(
    owner, member, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    photo_set(profile=owner.profile, upload=png_upload())
    photo_file = tmp_path / Profile.objects.get(pk=owner.pk).photo.name
    objective_add(profile=owner.profile, text="Rencontrer trois growth marketers")
    api_token_create(user=owner, name="Mon script")
    objective_add(profile=member.profile, text="Objectif de Marc")
    member_token = api_token_create(user=member, name="Jeton de Marc").key

    laptop, phone = _logged_in_client(owner), _logged_in_client(owner)
    member_client = _logged_in_client(member)
    phone_session = phone.session.session_key
    assert UserSession.objects.filter(user=owner).count() == 2

    with django_capture_on_commit_callbacks(execute=True):
        response = laptop.post(reverse("people:delete"), {"password": PASSWORD}, follow=True)
    assert "Votre compte et vos données sont supprimés. Au revoir !" in _text(response)

    assert not User.objects.filter(pk=owner.pk).exists()
    assert not Profile.objects.filter(pk=owner.pk).exists()
    assert not Objective.objects.filter(profile_id=owner.pk).exists()
    assert not ApiToken.objects.filter(user_id=owner.pk).exists()
    assert not EmailAddress.objects.filter(email=owner.email).exists()
    assert not UserSession.objects.filter(user_id=owner.pk).exists()
    assert not photo_file.exists()

    # The phone's session is gone from the server, not merely orphaned: it sees the log-in page.
    assert not Session.objects.filter(session_key=phone_session).exists()
    on_phone = phone.get(reverse("people:me"))
    assert on_phone.status_code == 302 and on_phone["Location"].startswith(reverse("account_login"))
    assert laptop.get(reverse("people:me")).status_code == 302

    # Other members are untouched.
    assert member_client.get(reverse("people:me")).status_code == 200
    assert member.profile.objectives.get().text == "Objectif de Marc"
    assert Client().get("/api/me", HTTP_AUTHORIZATION=f"Bearer {member_token}").status_code == 200
    assert EmailAddress.objects.filter(user=member, verified=True).exists()


def test_the_email_of_a_deleted_account_can_sign_up_again(owner, client):
    laptop = _logged_in_client(owner)
    laptop.post(reverse("people:delete"), {"password": PASSWORD})
    client.post(
        reverse("account_signup"),
        {"email": owner.email, "password1": "un long mot de passe 2026", "password2": "un long mot de passe 2026"},
    )
    assert User.objects.filter(email=owner.email).exists()
