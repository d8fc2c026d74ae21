import datetime as dt

import pytest

from network import services


@pytest.fixture
def contact_of():
    """A contact in someone's network, made through the service like the pages do."""

    def make(owner, full_name="Hélène Dupré", **fields):
        return services.contact_create(owner=owner, full_name=full_name, **fields)

    return make


@pytest.fixture
def days_ago():
    from django.utils import timezone

    return lambda n: timezone.localdate() - dt.timedelta(days=n)
