"""A sign-up with a taken address does the same work as one with a new address (no timing oracle;
the timings themselves are in bench/bench_signup.py)."""

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "un long mot de passe 2026"


def test_a_taken_address_costs_the_same_work_as_a_new_one(client, owner, dummy_tasks, monkeypatch):
    hashed = []
    encode = MD5PasswordHasher.encode  # the test hasher; production's Argon2 is where the time goes

    def counted(self, password, salt):
        hashed.append(password)
        return encode(self, password, salt)

    monkeypatch.setattr(MD5PasswordHasher, "encode", counted)
    work = {}
    for label, email in (("new", "nobody.yet@example.org"), ("taken", owner.email)):
        hashed.clear()
        dummy_tasks.clear()
        client.post(reverse("account_signup"), {"email": email, "password1": PASSWORD, "password2": PASSWORD})
        work[label] = (hashed[:], [result.task.name for result in dummy_tasks.results])

    assert work["taken"] == work["new"] == ([PASSWORD], ["deliver_email"])
