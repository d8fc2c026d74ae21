"""The dashboard's pictures, under a new key at each change of the network, stay out of the cache of
the log-in counters: a member editing contacts in a loop must not fill it (cercle/settings.py)."""

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection

from network import dashboard
from network.services import contact_create

pytestmark = pytest.mark.django_db


def _rows(alias: str) -> int:
    table = connection.ops.quote_name(settings.CACHES[alias]["LOCATION"])
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {table} WHERE cache_key LIKE %s",
            [caches[alias].make_key(dashboard.CACHE_PREFIX) + "%"],
        )
        return cursor.fetchone()[0]


def test_each_change_of_the_network_caches_its_pictures_away_from_the_login_counters(owner):
    for n in range(3):
        contact_create(owner=owner, full_name=f"Contact {n}")
        dashboard.dashboard_pictures(owner=owner)
    assert _rows("default") == 0
    assert _rows("derived") == 3
