"""Prepared queries and the session store: the fast paths answer exactly what the ORM would."""

import secrets

import pytest
from django.contrib.sessions.backends.db import SessionStore as OrmSessionStore
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from cercle.prepared import Prepared
from cercle.sessions import _CACHED_UP_TO, SessionStore
from people.models import Profile

pytestmark = pytest.mark.django_db

# A constant with a quote and a percent sign: written into the SQL on SQLite, it must still match.
HEADLINE = "Conseil à 100 % pour l'économie sociale"


def _by_headline(*, viewer_id: int, **_):
    return Profile.objects.filter(headline=HEADLINE).exclude(user_id=viewer_id).values("user_id", "updated_at")


by_headline = Prepared(_by_headline, "viewer_id")


@pytest.fixture
def advisers(make_member):
    return [
        make_member("ines@example.org", display_name="Inès", headline=HEADLINE),
        make_member("paul@example.org", display_name="Paul", headline=HEADLINE),
        make_member("lea@example.org", display_name="Léa", headline="Conseil à 100 %"),
    ]


def test_a_prepared_query_finds_what_the_orm_finds_for_each_value(advisers):
    ines, paul, _lea = advisers
    for viewer in (ines, paul):
        expected = list(_by_headline(viewer_id=viewer.pk))
        assert by_headline.dicts(viewer_id=viewer.pk) == expected
    assert [row["user_id"] for row in by_headline.dicts(viewer_id=ines.pk)] == [paul.pk]


def test_a_prepared_query_returns_aware_datetimes_like_the_orm(advisers):
    ines = advisers[0]
    (row,) = by_headline.dicts(viewer_id=advisers[1].pk)
    assert row["updated_at"] == ines.profile.updated_at
    assert row["updated_at"].tzinfo is not None


def test_a_prepared_query_shows_in_the_captured_queries(advisers):
    with CaptureQueriesContext(connection) as captured:
        by_headline.dicts(viewer_id=advisers[0].pk)
    assert len(captured) == 1
    assert "people_profile" in captured[0]["sql"]


def _saved_session(**data) -> str:
    store = OrmSessionStore()
    store.update(data)
    store.create()
    return store.session_key


def test_the_session_store_reads_what_django_wrote():
    key = _saved_session(greeting="bonjour", visits=[1, 2])
    assert SessionStore(key).load() == {"greeting": "bonjour", "visits": [1, 2]}


def test_a_session_changed_in_memory_does_not_change_the_next_read():
    key = _saved_session(visits=[1, 2])
    first = SessionStore(key).load()
    first["visits"].append(3)
    assert SessionStore(key).load() == {"visits": [1, 2]}


def test_a_session_signed_with_an_old_secret_is_refused_even_once_read():
    key = _saved_session(greeting="bonjour")
    assert SessionStore(key).load() == {"greeting": "bonjour"}
    with override_settings(SECRET_KEY="another secret key, the old one was leaked" * 2):
        assert SessionStore(key).load() == {}


def test_an_expired_or_unknown_session_reads_empty():
    assert SessionStore("no-such-session-key-0123456789ab").load() == {}
    key = _saved_session(greeting="bonjour")
    OrmSessionStore.get_model_class().objects.filter(session_key=key).update(expire_date="2000-01-01T00:00:00Z")
    assert SessionStore(key).load() == {}


def test_a_large_session_is_read_as_well():
    notes = [f"note {n}: {secrets.token_hex(16)}" for n in range(100)]  # does not compress away
    key = _saved_session(notes=notes)
    stored = OrmSessionStore.get_model_class().objects.get(session_key=key).session_data
    assert len(stored) > _CACHED_UP_TO
    assert SessionStore(key).load() == {"notes": notes}
