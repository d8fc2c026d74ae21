"""The agenda: events by city and dates, its filters, "near me", search, visibility and speed."""

import datetime as dt

import pytest
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone

from circles.models import Circle, Membership, Role, Status, Visibility
from events.agenda import NEAR_CACHE, PAGE_SIZE, AgendaPaginator, cities_within, haversine_km
from events.forms_agenda import END_BEFORE_START, NEAR_NEEDS_CITY
from events.models import Event
from events.services import search_text_of

pytestmark = pytest.mark.django_db

AGENDA = "/agenda/"


@pytest.fixture(autouse=True)
def _fresh_distances():
    """Distances between places are kept a few minutes; each test has its own places."""
    caches[NEAR_CACHE].clear()
    yield
    caches[NEAR_CACHE].clear()


def agenda_event(*, title: str = "Soirée des indépendants", city=None, circle=None, in_days: float = 3, **fields):
    """An event written as the services write it (search text included), circle-less by default."""
    starts_at = timezone.now().replace(microsecond=0) + dt.timedelta(days=in_days)
    values = {"format": "evening", "ends_at": starts_at + dt.timedelta(hours=2), "family": "", **fields}
    event = Event(title=title, city=city, circle=circle, starts_at=starts_at, **values)
    event.search_text = search_text_of(event)
    event.save()
    return event


def make_agenda_circle(*, slug: str, visibility: str, city=None, organizer=None, members=()) -> Circle:
    circle = Circle.objects.create(name=f"Cercle {slug}", slug=slug, family="tech", visibility=visibility, city=city)
    if organizer is not None:
        Membership.objects.create(circle=circle, member=organizer, role=Role.ORGANIZER, status=Status.ACTIVE)
    for user in members:
        Membership.objects.create(circle=circle, member=user, role=Role.MEMBER, status=Status.ACTIVE)
    return circle


@pytest.fixture
def agenda_circles(owner, member, cities):
    """One circle of each visibility in Marseille: the owner organizes them, the member belongs."""
    return {
        visibility: make_agenda_circle(
            slug=f"agenda-{visibility}",
            visibility=visibility,
            city=cities["Marseille"],
            organizer=owner,
            members=[member],
        )
        for visibility in Visibility.values
    }


def titles(response) -> list[str]:
    assert response.status_code == 200
    return [row.title for row in response.context["rows"]]


def get(client, **params):
    return client.get(AGENDA, params)


# --- Filters ----------------------------------------------------------------------------------


def test_it_lists_the_citys_events_of_the_next_30_days_by_default(client, cities):
    marseille, lyon = cities["Marseille"], cities["Lyon"]
    agenda_event(title="Demain à Marseille", city=marseille, in_days=1)
    agenda_event(title="Dans trois semaines", city=marseille, in_days=21)
    agenda_event(title="Dans deux mois", city=marseille, in_days=60)
    agenda_event(title="Hier", city=marseille, in_days=-1)
    agenda_event(title="À Lyon", city=lyon, in_days=2)

    assert titles(get(client, city=marseille.pk, city_query="Marseille")) == [
        "Demain à Marseille",
        "Dans trois semaines",
    ]


def test_a_city_typed_without_picking_a_suggestion_is_found_accents_ignored(client, cities):
    agenda_event(title="Bar des entrepreneurs", city=cities["Marseille"])
    assert titles(get(client, city_query="marseille")) == ["Bar des entrepreneurs"]
    response = get(client, city_query="Atlantis")
    assert response.context["page"] is None and "Atlantis" in response.content.decode()


def test_a_date_range_is_honoured(client, cities):
    marseille = cities["Marseille"]
    agenda_event(title="Semaine 1", city=marseille, in_days=3)
    agenda_event(title="Semaine 7", city=marseille, in_days=45)
    agenda_event(title="Semaine 9", city=marseille, in_days=60)
    start = timezone.localdate() + dt.timedelta(days=40)
    end = timezone.localdate() + dt.timedelta(days=50)
    assert titles(get(client, city_query="Marseille", start=start, end=end)) == ["Semaine 7"]


def test_dates_in_the_wrong_order_or_too_far_apart_are_explained(client):
    today = timezone.localdate()
    response = get(client, start=today, end=today - dt.timedelta(days=1))
    assert response.context["page"] is None
    assert str(END_BEFORE_START) in response.content.decode()
    assert get(client, start=today, end=today + dt.timedelta(days=800)).context["page"] is None


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"format": "breakfast"}, ["Petit-déjeuner tech"]),
        ({"format": "conference"}, ["Conférence IA"]),
        ({"family": "bloggers"}, ["Apéro blogueurs"]),
        ({"language": "en"}, ["Conférence IA"]),
        ({"topic": "IA"}, ["Conférence IA"]),
        ({"topic": "ia"}, ["Conférence IA"]),
        ({"topic": "écologie"}, ["Petit-déjeuner tech"]),
        ({"topic": "eco"}, []),  # a topic is a whole tag, not a part of one
        ({"format": "breakfast", "language": "en"}, []),
    ],
)
def test_format_family_topic_and_language_filter_the_agenda(client, cities, params, expected):
    marseille = cities["Marseille"]
    agenda_event(title="Petit-déjeuner tech", city=marseille, format="breakfast", family="tech", topics=["écologie"])
    agenda_event(title="Conférence IA", city=marseille, format="conference", language="en", topics=["IA", "data"])
    agenda_event(title="Apéro blogueurs", city=marseille, format="after_work", family="bloggers")
    assert titles(get(client, city_query="Marseille", **params)) == expected


def test_the_text_search_ignores_accents_and_case_and_reads_places_and_topics(client, cities):
    marseille = cities["Marseille"]
    agenda_event(title="Café des Entrepreneurs", city=marseille, venue="Le Vieux-Port")
    agenda_event(title="Atelier", city=marseille, topics=["Économie circulaire"])
    agenda_event(title="Autre chose", city=marseille)
    assert titles(get(client, city_query="Marseille", q="CAFE")) == ["Café des Entrepreneurs"]
    assert titles(get(client, city_query="Marseille", q="vieux port")) == ["Café des Entrepreneurs"]
    assert titles(get(client, city_query="Marseille", q="economie")) == ["Atelier"]


def test_near_me_measures_from_my_profile_city(client_of, owner, cities):
    agenda_event(title="À Marseille", city=cities["Marseille"])
    agenda_event(title="À Aubagne", city=cities["Aubagne"])  # about 15 km east
    agenda_event(title="À Lyon", city=cities["Lyon"])  # about 280 km north
    client = client_of(owner)  # Hélène lives in Marseille
    assert titles(get(client, near=10)) == ["À Marseille"]
    response = get(client, near=25)
    assert titles(response) == ["À Marseille", "À Aubagne"]
    assert [round(row.distance_km) for row in response.context["rows"]] == [0, 15]
    assert "15 km" in response.content.decode()
    assert set(titles(get(client, near=100))) == {"À Marseille", "À Aubagne"}


def test_near_me_needs_a_city_on_my_profile(client_of, client, stranger):
    for viewer_client in (client, client_of(stranger)):
        response = get(viewer_client, near=25)
        assert response.context["page"] is None
        assert str(NEAR_NEEDS_CITY) in response.content.decode()


def test_distances_are_great_circle_kilometres(cities):
    marseille, lyon, aubagne = cities["Marseille"], cities["Lyon"], cities["Aubagne"]
    distance = haversine_km(lat1=marseille.latitude, lon1=marseille.longitude, lat2=lyon.latitude, lon2=lyon.longitude)
    assert 270 < distance < 285
    within = cities_within(center=marseille, radius_km=20)
    assert set(within) == {marseille.pk, aubagne.pk}
    assert within[marseille.pk] == 0


def test_my_first_visit_shows_my_city(client_of, owner, cities):
    agenda_event(title="À Marseille", city=cities["Marseille"])
    agenda_event(title="À Lyon", city=cities["Lyon"])
    assert titles(client_of(owner).get(AGENDA)) == ["À Marseille"]


def test_without_a_city_the_agenda_shows_every_city(client, cities):
    agenda_event(title="À Marseille", city=cities["Marseille"], in_days=1)
    agenda_event(title="À Lyon", city=cities["Lyon"], in_days=2)
    assert titles(client.get(AGENDA)) == ["À Marseille", "À Lyon"]


def test_cancelled_events_are_shown_as_cancelled(client, cities):
    agenda_event(title="Annulé", city=cities["Marseille"], state=Event.State.CANCELLED)
    response = get(client, city_query="Marseille")
    assert titles(response) == ["Annulé"]
    assert "is-cancelled" in response.content.decode()


def test_an_htmx_request_gets_only_the_results(client, cities):
    agenda_event(title="Bar des entrepreneurs", city=cities["Marseille"])
    response = client.get(AGENDA, {"city_query": "Marseille"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "Bar des entrepreneurs" in body and "<html" not in body and "agenda-filters" not in body


def test_the_agenda_is_paginated_and_pages_keep_the_filters(client, cities):
    marseille = cities["Marseille"]
    for index in range(PAGE_SIZE * 2 + 5):
        agenda_event(title=f"Rencontre {index:02d}", city=marseille, in_days=1 + index / 10, format="lunch")
    first = get(client, city_query="Marseille", format="lunch")
    assert len(titles(first)) == PAGE_SIZE
    assert "format=lunch" in first.context["querystring"] and "page=" not in first.context["querystring"]
    last = get(client, city_query="Marseille", format="lunch", page=3)
    assert titles(last) == [f"Rencontre {index:02d}" for index in range(PAGE_SIZE * 2, PAGE_SIZE * 2 + 5)]


def test_a_huge_agenda_counts_only_up_to_a_cap(client, cities, monkeypatch):
    monkeypatch.setattr(AgendaPaginator, "cap", 30)
    marseille = cities["Marseille"]
    for index in range(PAGE_SIZE * 2 + 5):
        agenda_event(title=f"Rencontre {index:02d}", city=marseille, in_days=1 + index / 10)
    response = get(client, city_query="Marseille")
    assert response.context["page"].paginator.capped and response.context["page"].paginator.num_pages == 2
    assert "30" in response.content.decode()  # "more than 30 events"
    assert len(titles(get(client, city_query="Marseille", page=2))) == 30 - PAGE_SIZE


def test_the_filters_stay_selected(client, cities):
    body = get(client, city_query="Marseille", format="lunch", language="en", near="").content.decode()
    assert '<option value="lunch" selected>' in body and '<option value="en" selected>' in body
    assert 'value="Marseille"' in body


def test_the_agenda_makes_the_same_queries_for_5_or_20_events(client_of, owner, cities, agenda_circles):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    marseille = cities["Marseille"]
    client = client_of(owner)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(AGENDA, {"city_query": "Marseille"}).status_code == 200
        return len(captured)

    circles = list(agenda_circles.values())
    for index in range(5):
        agenda_event(title=f"E{index}", city=marseille, circle=circles[index % 3], topics=["tech"])
    few = count()
    for index in range(15):
        agenda_event(title=f"F{index}", city=marseille, circle=circles[index % 3], topics=["tech"])
    assert count() == few


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_agenda_speaks_both_languages(client, cities, language):
    agenda_event(title="Déjeuner", city=cities["Marseille"], format="lunch")
    response = client.get(AGENDA, {"city_query": "Marseille"}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200 and f'lang="{language}"' in response.content.decode()


def test_the_page_works_without_javascript(client):
    body = client.get(AGENDA).content.decode()
    assert '<form method="get" action="/agenda/"' in body and 'type="submit"' in body


# --- Visibility -------------------------------------------------------------------------------

VISIBLE = {
    # (circle visibility, viewer): seen in the agenda?
    (None, "anonymous"): True,
    (None, "stranger"): True,
    (None, "member"): True,
    (Visibility.PUBLIC, "anonymous"): True,
    (Visibility.PUBLIC, "stranger"): True,
    (Visibility.PUBLIC, "member"): True,
    (Visibility.MEMBERS, "anonymous"): False,
    (Visibility.MEMBERS, "stranger"): True,
    (Visibility.MEMBERS, "member"): True,
    (Visibility.UNLISTED, "anonymous"): False,
    (Visibility.UNLISTED, "stranger"): False,
    (Visibility.UNLISTED, "member"): True,
}


def viewer_client(request, client, viewer: str):
    if viewer != "anonymous":
        client.force_login(request.getfixturevalue(viewer))
    return client


@pytest.mark.parametrize(("visibility", "viewer"), list(VISIBLE))
def test_who_sees_which_events_in_the_agenda(request, client, cities, agenda_circles, visibility, viewer):
    circle = agenda_circles[visibility] if visibility else None
    event = agenda_event(title="L'événement", city=cities["Marseille"], circle=circle)
    client = viewer_client(request, client, viewer)
    shown = "L'événement" in titles(get(client, city_query="Marseille"))
    assert shown is VISIBLE[(visibility, viewer)]
    searched = "L'événement" in titles(get(client, city_query="Marseille", q="evenement"))
    assert searched is VISIBLE[(visibility, viewer)]
    ics = client.get(reverse("agenda:event_ics", kwargs={"event_id": event.pk}))
    assert ics.status_code == (200 if VISIBLE[(visibility, viewer)] else 404)


def test_a_former_member_no_longer_sees_an_unlisted_circles_events(client_of, member, cities, agenda_circles):
    agenda_event(title="Entre nous", city=cities["Marseille"], circle=agenda_circles[Visibility.UNLISTED])
    client = client_of(member)
    assert titles(get(client, city_query="Marseille")) == ["Entre nous"]
    Membership.objects.filter(member=member).update(status=Status.LEFT)
    assert titles(get(client, city_query="Marseille")) == []
