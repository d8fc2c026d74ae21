"""The API fuzzed from its own OpenAPI schema (schemathesis): no call, valid or not, is a 500.

With a member's token, a fixed seed and at most 25 examples per operation, of data that fits the
schema and of data that does not. The calls go to the site's WSGI application in this process,
each committed as in production (a transactional test): over the live server's loopback socket,
each call waited ~40 ms for TCP acknowledgements, which made the test several times slower.
"""

import datetime as dt
import os

import pytest
import schemathesis
from django.core.cache import caches
from django.core.wsgi import get_wsgi_application
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from cercle.api import THROTTLE_CACHE
from circles.models import Circle, Membership, Role, Status
from events.services import event_create
from intros.services import connection_request_send
from network.services import contact_create, interaction_log
from people.services import api_token_create

# More for a longer hunt by hand: CERCLE_FUZZ_EXAMPLES=200.
EXAMPLES_PER_OPERATION = int(os.environ.get("CERCLE_FUZZ_EXAMPLES", "25"))
# Operations that would end the fuzzing itself (closing the account, revoking its tokens): the API
# has none yet; this keeps them out if it gets them.
LEFT_OUT = r"/(account|tokens?)(/|$)|/me/delete"


@pytest.fixture
def some_data(owner, member):
    """A little of everything, so that small ids reach real rows, not only 404s."""
    circle = Circle.objects.create(name="Cercle Fuzz", slug="cercle-fuzz", family="business")
    Membership.objects.create(circle=circle, member=owner, role=Role.ORGANIZER, status=Status.ACTIVE)
    Membership.objects.create(circle=circle, member=member, role=Role.MEMBER, status=Status.ACTIVE)
    starts_at = timezone.now().replace(microsecond=0) + dt.timedelta(days=3)
    event_create(
        organizer=owner,
        circle=circle,
        title="Petit-déjeuner",
        format="breakfast",
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=2),
        capacity=10,
    )
    contact = contact_create(owner=owner, full_name="Inès Moreau", emails=["ines@example.org"])
    interaction_log(owner=owner, contacts=[contact], kind="coffee")
    connection_request_send(sender=member, recipient=owner, reason="Nous nous sommes croisés au dernier atelier.")


@pytest.fixture
def unthrottled(settings):
    # Well over the calls made here: the fuzzing must reach the views, not the abuse limits.
    settings.API_RATE_LIMIT = settings.API_ANON_RATE_LIMIT = "100000/m"
    yield
    # This test commits, and the cache table is no model's: its counters would outlive it and
    # throttle the next tests' calls from the same address.
    caches[THROTTLE_CACHE].clear()


@pytest.mark.django_db(transaction=True)
def test_no_call_to_the_api_is_a_server_error(owner, some_data, unthrottled):
    auth = {"Authorization": f"Bearer {api_token_create(user=owner, name='fuzz').key}"}
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
    operations = [result.ok() for result in schema.exclude(path_regex=LEFT_OUT).get_all_operations()]
    assert len(operations) > 40  # the whole API, not an empty schema

    for operation in operations:
        strategy = operation.as_strategy(GenerationMode.POSITIVE) | operation.as_strategy(GenerationMode.NEGATIVE)

        @given(case=strategy)
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            derandomize=True,  # the same cases on every run and every database
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        def call(case):
            case.call_and_validate(headers=auth, checks=[not_a_server_error])

        call()
