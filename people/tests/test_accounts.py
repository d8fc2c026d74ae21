"""Sign-up, verification, log-in, reset: no account enumeration, throttled log-in."""

import re

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "un long mot de passe 2026"


def _signup(client, email):
    return client.post(
        reverse("account_signup"), {"email": email, "password1": PASSWORD, "password2": PASSWORD}, follow=True
    )


def test_signing_up_sends_a_verification_email_and_creates_a_profile(client, django_user_model):
    response = _signup(client, "lea.garnier@example.org")
    assert response.status_code == 200
    user = django_user_model.objects.get(email="lea.garnier@example.org")
    assert user.profile.display_name == "Lea Garnier"
    assert user.password.startswith("md5$")  # the test hasher; production uses Argon2
    assert mail.outbox[-1].to == ["lea.garnier@example.org"]
    assert "/accounts/confirm-email/" in mail.outbox[-1].body


def test_account_emails_name_the_site_in_both_languages(client, settings):
    _signup(client, "lea.garnier@example.org")
    assert mail.outbox[-1].body.startswith("Bonjour, c'est Cercle !")
    assert "Merci d'utiliser Cercle !" in mail.outbox[-1].body

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    _signup(client, "sam.jones@example.org")
    assert mail.outbox[-1].body.startswith("Hello from Cercle!")


def test_an_unverified_account_cannot_use_the_site_until_the_link_is_followed(client, django_user_model):
    _signup(client, "lea.garnier@example.org")
    client.logout()
    client.post(reverse("account_login"), {"login": "lea.garnier@example.org", "password": PASSWORD})
    assert client.get(reverse("people:me")).status_code == 302

    link = re.search(r"/accounts/confirm-email/\S+", mail.outbox[-1].body).group(0)
    response = client.post(link, follow=True)
    assert response.redirect_chain[-1][0] == reverse("network:dashboard")
    assert client.get(reverse("people:me")).status_code == 200


def test_signing_up_with_a_taken_email_looks_the_same_and_warns_the_owner(client, owner):
    taken = _signup(client, owner.email)
    client.logout()
    fresh = _signup(client, "nobody.yet@example.org")
    assert taken.redirect_chain[-1][0] == fresh.redirect_chain[-1][0]
    assert taken.status_code == fresh.status_code == 200
    to_owner = [m for m in mail.outbox if m.to == [owner.email]]
    assert len(to_owner) == 1  # the owner learns someone tried; the visitor learns nothing


def test_a_wrong_password_and_an_unknown_email_get_the_same_answer(client, owner):
    wrong = client.post(reverse("account_login"), {"login": owner.email, "password": "not the password"})
    unknown = client.post(reverse("account_login"), {"login": "ghost@example.org", "password": "not the password"})
    assert wrong.status_code == unknown.status_code == 200
    assert wrong.context["form"].errors == unknown.context["form"].errors


def test_a_reset_request_looks_the_same_whether_or_not_the_account_exists(client, owner):
    known = client.post(reverse("account_reset_password"), {"email": owner.email}, follow=True)
    unknown = client.post(reverse("account_reset_password"), {"email": "ghost@example.org"}, follow=True)
    assert known.redirect_chain == unknown.redirect_chain
    owner_mail = next(m for m in mail.outbox if m.to == [owner.email])
    assert "/accounts/password/reset/key/" in owner_mail.body


def test_a_password_can_be_reset_through_the_emailed_link(client, owner):
    client.post(reverse("account_reset_password"), {"email": owner.email})
    link = re.search(r"/accounts/password/reset/key/\S+", mail.outbox[-1].body).group(0)
    form_page = client.get(link, follow=True)
    new = "un autre mot de passe 2027"
    client.post(form_page.redirect_chain[-1][0], {"password1": new, "password2": new})
    client.logout()
    assert client.login(email=owner.email, password=new)


def test_login_is_throttled_after_repeated_failures(client, owner):
    for _ in range(5):
        client.post(reverse("account_login"), {"login": owner.email, "password": "wrong password"})
    blocked = client.post(reverse("account_login"), {"login": owner.email, "password": "correct horse battery"})
    assert blocked.status_code in (200, 429)
    assert "_auth_user_id" not in client.session


def test_a_verified_member_logs_in_and_out(client, owner):
    client.post(reverse("account_login"), {"login": owner.email, "password": "correct horse battery"})
    assert client.get(reverse("people:me")).status_code == 200
    client.post(reverse("account_logout"))
    assert client.get(reverse("people:me")).status_code == 302


def test_changing_the_password_keeps_the_member_logged_in_and_the_sign_up_date(client_of, owner):
    # The signed-in user is read without the ORM: its dates must still come back in UTC, or
    # saving it (as a password change does) would move them by the Paris offset.
    joined = owner.date_joined
    client = client_of(owner)
    new = "un autre mot de passe 2027"
    client.post(
        reverse("account_change_password"),
        {"oldpassword": "correct horse battery", "password1": new, "password2": new},
    )
    owner.refresh_from_db()
    assert owner.check_password(new)
    assert owner.date_joined == joined


def test_a_new_email_replaces_the_old_one_only_once_verified(client_of, owner):
    client = client_of(owner)
    client.post(reverse("account_email"), {"action_add": "", "email": "helene@nouveau.example"})
    owner.refresh_from_db()
    assert owner.email == "helene.dupre@example.org"
    assert mail.outbox[-1].to == ["helene@nouveau.example"]
    link = re.search(r"/accounts/confirm-email/\S+", mail.outbox[-1].body).group(0)
    client.post(link)
    owner.refresh_from_db()
    assert owner.email == "helene@nouveau.example"


def test_a_password_changed_elsewhere_signs_out_the_other_sessions(client, owner):
    client.force_login(owner)
    assert client.get(reverse("people:me")).status_code == 200
    owner.set_password("changé depuis un autre appareil 2027")
    owner.save()
    response = client.get(reverse("people:me"))
    assert response.status_code == 302 and reverse("account_login") in response.url
