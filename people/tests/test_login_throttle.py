"""Every way in meets the same log-in throttle: the admin included, whatever the host name."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"  # make_member's


@pytest.fixture
def operator(make_member):
    user = make_member("ops@example.org")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


def test_the_admin_has_no_log_in_form_of_its_own(client, operator):
    response = client.post(reverse("admin:login"), {"username": operator.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login") + "?next=")
    assert "_auth_user_id" not in client.session


def test_the_admin_sends_visitors_to_the_members_log_in_and_back(client, operator):
    sent = client.get(reverse("admin:index"), follow=True)
    assert sent.redirect_chain[-1][0] == reverse("account_login") + "?next=%2Fadmin%2F"

    signed_in = client.post(sent.redirect_chain[-1][0], {"login": operator.email, "password": PASSWORD}, follow=True)
    assert signed_in.redirect_chain[-1][0] == reverse("admin:index")
    assert signed_in.status_code == 200


def test_a_member_who_is_not_staff_is_refused_the_admin(client_of, member):
    response = client_of(member).get(reverse("admin:index"), follow=True)
    assert response.status_code == 403


def test_failed_log_ins_count_for_the_account_whatever_the_host_name(client, operator, settings):
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
    login = reverse("account_login") + "?next=%2Fadmin%2F"
    for _ in range(5):
        client.post(login, {"login": operator.email, "password": "wrong password"}, HTTP_HOST="localhost:8000")

    refused = client.post(login, {"login": operator.email.upper(), "password": PASSWORD}, HTTP_HOST="127.0.0.1:9000")
    assert refused.status_code in (200, 429)
    assert "_auth_user_id" not in client.session
