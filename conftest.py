"""Shared fixtures: the personas every access test uses, and a few real places."""

import pytest

from people.models import Discoverability
from people.services import profile_create, profile_update
from places.models import City
from places.text import fold

CITIES = [
    # geoname_id, name, lat, lon, population
    (2995469, "Marseille", 43.29695, 5.38107, 870_731),
    (2988507, "Paris", 48.85341, 2.3488, 2_138_551),
    (2996944, "Lyon", 45.74846, 4.84671, 522_969),
    (2998324, "Lille", 50.63297, 3.05858, 234_475),
    (3031582, "Aubagne", 43.29276, 5.56708, 47_208),
    (2983990, "Rennes", 48.11198, -1.67429, 220_488),
]


@pytest.fixture(autouse=True)
def _fresh_page_cache():
    """Rendered pages are cached per process; database ids and clocks repeat between tests."""
    from django.core.cache import caches

    caches["pages"].clear()
    yield


@pytest.fixture
def dummy_tasks(settings):
    """A task queue that keeps what is enqueued and runs nothing: to see what was queued."""
    from django_tasks import task_backends

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": settings.TASK_QUEUES}
    }
    backend = task_backends["default"]
    backend.clear()
    return backend


@pytest.fixture
def cities(db) -> dict[str, City]:
    created = {}
    for geoname_id, name, lat, lon, population in CITIES:
        created[name] = City.objects.create(
            geoname_id=geoname_id,
            name=name,
            search_name=fold(name),
            country_code="FR",
            latitude=lat,
            longitude=lon,
            population=population,
            timezone="Europe/Paris",
        )
    return created


@pytest.fixture
def make_member(db, django_user_model):
    """A verified member with a profile; keyword arguments go to profile_update."""
    from allauth.account.models import EmailAddress

    def make(email: str, password: str = "correct horse battery", discoverability=None, **fields):
        user = django_user_model.objects.create_user(email=email, password=password)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        profile = profile_create(user=user, display_name=fields.pop("display_name", ""))
        if fields:
            profile_update(profile=profile, **fields)
        if discoverability:
            profile.discoverability = discoverability
            profile.save(update_fields=["discoverability"])
        return user

    return make


@pytest.fixture
def owner(make_member, cities):
    """The member whose data the tests protect: discoverable by all members."""
    return make_member(
        "helene.dupre@example.org",
        display_name="Hélène Dupré",
        headline="Avocate en droit des affaires",
        profession="lawyer",
        city=cities["Marseille"],
        skills=["droit des contrats", "négociation"],
        learning=["growth marketing"],
        values=["openness", "direct_talk"],
        formats=["breakfast"],
        phone="+33 6 11 22 33 44",
        discoverability=Discoverability.MEMBERS,
    )


@pytest.fixture
def member(make_member, cities):
    """Another signed-in member (no circle or connection with the owner yet)."""
    return make_member("marc.leroy@example.org", display_name="Marc Leroy", city=cities["Lyon"])


@pytest.fixture
def stranger(make_member):
    return make_member("zoe.martin@example.org", display_name="Zoé Martin")


@pytest.fixture
def client_of(client):
    """A logged-in test client for the given user."""

    def login(user):
        client.force_login(user)
        return client

    return login
