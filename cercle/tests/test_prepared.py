"""Prepared queries: the fast path answers exactly what the ORM would."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cercle.prepared import Prepared
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
