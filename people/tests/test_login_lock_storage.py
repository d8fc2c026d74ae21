"""A log-in lock outlives any burst of other cache writes (cercle/settings.py, CACHES): the database
cache culls the alphabetically first third of its rows when full, and rate-limit keys sort first."""

import pytest
from django.core.cache import cache, caches
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"  # make_member's


def test_a_login_lock_survives_a_flood_of_cache_writes(client, owner, settings):
    # The derived data's cache, smaller: the flood below is quicker to write.
    settings.CACHES = settings.CACHES | {
        "derived": settings.CACHES["derived"] | {"OPTIONS": {"MAX_ENTRIES": 50}},
    }
    for _ in range(5):
        client.post(reverse("account_login"), {"login": owner.email, "password": "wrong password"})

    # New keys in the counters' cache, past the 300 it used to hold...
    cache.set_many({f"flood:{n}": n for n in range(400)})
    # ...and the derived data's cache filled past its limit, so that it culls.
    derived = caches["derived"]
    derived.set_many({f"flood:{n}": n for n in range(60)})
    assert derived.get("flood:0") is None  # culled

    refused = client.post(reverse("account_login"), {"login": owner.email, "password": PASSWORD})
    assert refused.status_code in (200, 429)
    assert "_auth_user_id" not in client.session
