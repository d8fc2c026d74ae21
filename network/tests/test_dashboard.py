"""The dashboard of my network: its selectors on a small hand-made network, and the page."""

import datetime as dt
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from network import dashboard
from network.models import InteractionKind
from network.services import contact_create, contact_set_archived, interaction_log
from people.vocab import Sector

TODAY = timezone.localdate()
MONDAY = TODAY - dt.timedelta(days=TODAY.weekday())


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


@pytest.fixture
def network(owner):
    """Hélène's small network: five contacts, one archived, a few interactions."""
    alice = contact_create(owner=owner, full_name="Alice Martin", labels=["client", "BNI"], city="Marseille",
                           sector=Sector.TECH)  # fmt: skip
    bruno = contact_create(owner=owner, full_name="Bruno Roux", labels=["client"], city="marseille ",
                           sector=Sector.TECH)  # fmt: skip
    chloe = contact_create(owner=owner, full_name="Chloé Petit", labels=["Client", "mentor"], city="Lyon",
                           sector=Sector.LAW)  # fmt: skip
    dan = contact_create(owner=owner, full_name="Dan Morel", city="", sector="")
    gone = contact_create(owner=owner, full_name="Gaston Archivé", labels=["client"], city="Paris", sector=Sector.LAW)
    # This week: a coffee with Alice, and an event with Alice, Bruno, Chloé (and Gaston, archived later).
    interaction_log(owner=owner, contacts=[alice], kind=InteractionKind.COFFEE, occurred_on=TODAY)
    interaction_log(owner=owner, contacts=[alice, bruno, chloe, gone], kind=InteractionKind.EVENT, occurred_on=TODAY)
    # Last week: a lunch with Alice and Bruno (one interaction, counted once).
    interaction_log(
        owner=owner, contacts=[alice, bruno], kind=InteractionKind.LUNCH, occurred_on=MONDAY - dt.timedelta(days=3)
    )
    # Help, this month and long ago.
    interaction_log(owner=owner, contacts=[bruno], kind=InteractionKind.HELP_GIVEN, occurred_on=TODAY)
    interaction_log(owner=owner, contacts=[chloe], kind=InteractionKind.HELP_GIVEN, occurred_on=TODAY)
    interaction_log(owner=owner, contacts=[chloe], kind=InteractionKind.HELP_RECEIVED, occurred_on=days_ago(500))
    # Outside the 26 weeks.
    interaction_log(owner=owner, contacts=[dan], kind=InteractionKind.CALL, occurred_on=days_ago(7 * 30))
    contact_set_archived(contact=gone, archived=True)
    return {"alice": alice, "bruno": bruno, "chloe": chloe, "dan": dan, "gone": gone}


@pytest.fixture
def other_network(member):
    """Marc's network, which must never show in Hélène's pictures."""
    zed = contact_create(owner=member, full_name="Zed Secret", labels=["client"], city="Marseille", sector=Sector.TECH)
    yan = contact_create(owner=member, full_name="Yan Secret", labels=["client"], city="Lyon", sector=Sector.LAW)
    for kind in (InteractionKind.COFFEE, InteractionKind.HELP_GIVEN, InteractionKind.HELP_RECEIVED):
        interaction_log(owner=member, contacts=[zed, yan], kind=kind, occurred_on=TODAY)
    return {"zed": zed, "yan": yan}


# --- selectors ---------------------------------------------------------------------------------


def test_interactions_per_week_counts_each_interaction_once_zero_filled(owner, network, other_network):
    data = dashboard.interactions_per_week(owner=owner, today=TODAY)
    assert len(data["weeks"]) == len(data["counts"]) == 26
    assert data["weeks"][-1] == MONDAY.isoformat()
    assert data["weeks"][0] == (MONDAY - dt.timedelta(weeks=25)).isoformat()
    assert all(dt.date.fromisoformat(week).weekday() == 0 for week in data["weeks"])
    # This week: the coffee, the event, two "help given" (Marc's three don't count).
    assert data["counts"][-1] == 4
    assert data["counts"][-2] == 1  # the lunch with two people
    assert data["counts"][:-2] == [0] * 24  # the call 30 weeks ago is outside; the help received too
    assert data["total"] == 5
    json.dumps(data)


def test_given_vs_received_totals_and_months(owner, network, other_network):
    data = dashboard.given_vs_received(owner=owner, today=TODAY)
    assert data["totals"] == {"given": 2, "received": 1}
    assert len(data["months"]) == len(data["given"]) == len(data["received"]) == 12
    assert data["months"][-1] == TODAY.replace(day=1).isoformat()
    assert all(month.endswith("-01") for month in data["months"])
    assert data["given"] == [0] * 11 + [2]
    assert data["received"] == [0] * 12  # 500 days ago: in the totals, not in the months
    json.dumps(data)


def test_months_back_cross_the_year():
    assert dashboard._months_back(dt.date(2025, 3, 1), 11) == dt.date(2024, 4, 1)
    assert dashboard._months_back(dt.date(2025, 1, 1), 1) == dt.date(2024, 12, 1)


def test_network_by_label_city_sector(owner, network, other_network):
    by_label = dashboard.network_by_label(owner=owner)
    # "client" and "Client" are one label, shown in its commonest spelling; Gaston is archived.
    assert by_label["items"] == [
        {"label": "client", "count": 3},
        {"label": "BNI", "count": 1},
        {"label": "mentor", "count": 1},
    ]
    assert by_label["other"] == 0 and by_label["unspecified"] == 1  # Dan has no label

    by_city = dashboard.network_by_city(owner=owner)
    assert by_city["items"][0] == {"label": "Marseille", "count": 2}
    assert by_city["items"][1] == {"label": "Lyon", "count": 1}
    assert len(by_city["items"]) == 2 and by_city["unspecified"] == 1

    with translation.override("fr"):
        by_sector = dashboard.network_by_sector(owner=owner)
        tech, law = str(Sector.TECH.label), str(Sector.LAW.label)
    assert by_sector["items"] == [{"label": tech, "count": 2}, {"label": law, "count": 1}]
    assert by_sector["unspecified"] == 1
    json.dumps([by_label, by_city, by_sector])


def test_breakdowns_keep_the_top_ten_and_sum_the_rest(owner):
    for index in range(12):
        for _ in range(12 - index):  # City 0: 12 contacts … City 11: 1 contact
            contact_create(owner=owner, full_name=f"Person {index}", city=f"City {index:02d}")
    data = dashboard.network_by_city(owner=owner)
    assert [item["label"] for item in data["items"]] == [f"City {i:02d}" for i in range(10)]
    assert data["other"] == 2 + 1
    assert dashboard.network_by_city(owner=owner, top=3)["other"] == sum(range(1, 10))


def test_network_by_circle_is_empty_until_circles_exist(owner, network):
    assert dashboard.network_by_circle(owner=owner) == []


def test_network_map_nodes_and_co_attendance_edges(owner, network, other_network):
    data = dashboard.network_map(owner=owner)
    ids = {name: contact.pk for name, contact in network.items()}
    nodes = {node["id"]: node for node in data["nodes"]}
    assert set(nodes) == {ids["alice"], ids["bruno"], ids["chloe"], ids["dan"]}  # not Gaston (archived), not Marc's
    assert nodes[ids["alice"]] == {"id": ids["alice"], "name": "Alice Martin", "group": "client"}
    assert nodes[ids["chloe"]]["group"] == "client"  # her "Client" is the same label, in its commonest spelling
    assert nodes[ids["dan"]]["group"] == dashboard.NO_LABEL
    edges = {(e["source"], e["target"]): e["weight"] for e in data["edges"]}
    pair = lambda a, b: tuple(sorted((ids[a], ids[b])))  # noqa: E731
    assert edges == {pair("alice", "bruno"): 2, pair("alice", "chloe"): 1, pair("bruno", "chloe"): 1}
    assert data["edges"][0]["weight"] == 2  # strongest first
    assert data["shown"] == data["total"] == 4
    assert data["groups"][-1] == dashboard.NO_LABEL
    json.dumps(data)


def test_network_map_keeps_the_most_recently_active(owner, network):
    data = dashboard.network_map(owner=owner, max_nodes=2)
    assert data["shown"] == 2 and data["total"] == 4
    # Alice, Bruno and Chloé were all seen today; Dan, 30 weeks ago, is left out.
    assert network["dan"].pk not in {node["id"] for node in data["nodes"]}
    assert all(e["source"] in {n["id"] for n in data["nodes"]} for e in data["edges"])


def test_selectors_never_show_another_members_network(owner, network, other_network, member):
    mine = [
        dashboard.interactions_per_week(owner=owner),
        dashboard.given_vs_received(owner=owner),
        dashboard.network_by_label(owner=owner),
        dashboard.network_by_city(owner=owner),
        dashboard.network_by_sector(owner=owner),
        dashboard.network_map(owner=owner),
    ]
    assert "Secret" not in json.dumps(mine)
    theirs = dashboard.network_map(owner=member)
    assert {node["name"] for node in theirs["nodes"]} == {"Zed Secret", "Yan Secret"}
    assert dashboard.given_vs_received(owner=member)["totals"] == {"given": 1, "received": 1}
    assert dashboard.interactions_per_week(owner=member)["total"] == 3
    assert dashboard.network_by_label(owner=member)["items"] == [{"label": "client", "count": 2}]


def test_empty_network(owner):
    assert dashboard.interactions_per_week(owner=owner)["total"] == 0
    assert dashboard.given_vs_received(owner=owner)["totals"] == {"given": 0, "received": 0}
    assert dashboard.network_by_label(owner=owner) == {"items": [], "other": 0, "unspecified": 0}
    assert dashboard.network_map(owner=owner) == {"nodes": [], "edges": [], "groups": [], "shown": 0, "total": 0}


# --- the page ----------------------------------------------------------------------------------


def get_dashboard(client, language: str = "en"):
    return client.get(reverse("network:dashboard"), HTTP_ACCEPT_LANGUAGE=language)


def chart_data(response) -> dict:
    match = re.search(r'<script id="network-dashboard-data" type="application/json">(.*?)</script>', response.text)
    assert match, "the chart data is carried by json_script"
    return json.loads(match.group(1))


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(reverse("network:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_dashboard_shows_the_owners_numbers(client_of, owner, network, other_network):
    response = get_dashboard(client_of(owner))
    assert response.status_code == 200
    html = response.text
    assert "Help given: <strong>2</strong> · help received: <strong>1</strong>" in html
    assert "5 interactions over the last 26 weeks." in html
    # Dan's call, 30 weeks ago, is still a living relationship (an exchange in the last 12 months).
    assert "4 living relationships (an exchange in the last 12 months) among your 4 contacts." in html
    assert "networkaholic" not in html
    assert "Secret" not in html  # Marc's contacts, nowhere
    data = chart_data(response)
    assert data["per_week"]["counts"][-1] == 4
    assert data["help"]["totals"] == {"given": 2, "received": 1}
    assert {node["name"] for node in data["map"]["nodes"]} == {"Alice Martin", "Bruno Roux", "Chloé Petit", "Dan Morel"}
    node = next(n for n in data["map"]["nodes"] if n["name"] == "Alice Martin")
    assert node["url"] == reverse("network:contact_detail", args=[network["alice"].pk])
    assert "chart-by-circle" not in html  # no circles yet: no empty chart
    # The text alternatives carry the same numbers.
    assert html.count("<details>") >= 6
    assert "<td>3</td>" in html  # "client": 3 contacts


def test_dashboard_respects_the_csp(client_of, owner, network):
    html = get_dashboard(client_of(owner)).text
    assert " style=" not in html and "<style" not in html
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert re.search(r'src="/static/vendor/chart-4\.[\d.]+\.umd\.min\.js"', html)
    assert re.search(r'src="/static/vendor/cytoscape-3\.[\d.]+\.min\.js"', html)
    assert 'src="/static/js/network-dashboard.js"' in html


def test_networkaholic_signal_with_the_numbers(client_of, owner):
    contacts = [contact_create(owner=owner, full_name=f"Card {n:02d}") for n in range(60)]
    for contact in contacts[:15]:
        interaction_log(owner=owner, contacts=[contact], kind=InteractionKind.COFFEE, occurred_on=days_ago(30))
    for contact in contacts[15:20]:  # long ago: not living any more
        interaction_log(owner=owner, contacts=[contact], kind=InteractionKind.COFFEE, occurred_on=days_ago(400))
    response = get_dashboard(client_of(owner))
    html = response.text
    assert "You have 60 contacts but only 15 living relationships (an exchange in the last 12 months)." in html
    assert reverse("network:review") in html
    assert "networkaholic" in html


def test_no_networkaholic_signal_when_relationships_are_alive(client_of, owner):
    contacts = [contact_create(owner=owner, full_name=f"Friend {n:02d}") for n in range(60)]
    for contact in contacts[:25]:  # 60 ≤ 3 × 25
        interaction_log(owner=owner, contacts=[contact], kind=InteractionKind.COFFEE, occurred_on=days_ago(10))
    html = get_dashboard(client_of(owner)).text
    assert "You have 60 contacts" not in html
    assert "25 living relationships (an exchange in the last 12 months) among your 60 contacts." in html


def test_dashboard_in_french_localizes_numbers(client_of, owner):
    for n in range(3):
        contact_create(owner=owner, full_name=f"Ami {n}", city="Marseille")
    response = get_dashboard(client_of(owner), language="fr")
    assert response.status_code == 200
    assert '<html lang="fr">' in response.text


def test_empty_dashboard_draws_no_empty_picture(client_of, owner):
    html = get_dashboard(client_of(owner)).text
    assert 'id="chart-per-week"' not in html and 'id="chart-help"' not in html
    assert 'id="network-map"' not in html and 'id="chart-by-label"' not in html
    assert reverse("network:contact_create") in html


def _grow(owner, count: int) -> None:
    """`count` contacts in pairs, each pair with a lunch and a shared event, some help."""
    previous = None
    for n in range(count):
        contact = contact_create(owner=owner, full_name=f"Contact {n}", labels=[f"label {n % 7}"],
                                 city=f"City {n % 13}", sector=Sector.values[n % len(Sector.values)],
                                 cadence_days=30)  # fmt: skip
        kind = InteractionKind.HELP_GIVEN if n % 3 else InteractionKind.LUNCH
        interaction_log(owner=owner, contacts=[contact], kind=kind, occurred_on=days_ago(40 + n))
        if previous is not None:
            interaction_log(
                owner=owner, contacts=[contact, previous], kind=InteractionKind.EVENT, occurred_on=days_ago(n)
            )
        previous = contact


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = get_dashboard(client)
    assert response.status_code == 200
    return len(captured)


def test_query_count_does_not_grow_with_the_network(client_of, owner, member):
    _grow(owner, 5)
    _grow(member, 50)
    client = client_of(owner)
    get_dashboard(client)  # the first visit creates the weekly goal
    small = _queries(client)
    client.force_login(member)
    get_dashboard(client)
    large = _queries(client)
    assert small == large
    assert large <= 20


def test_pictures_are_cached_until_the_network_changes(owner, network):
    first = dashboard.dashboard_pictures(owner=owner)
    with CaptureQueriesContext(connection) as captured:
        again = dashboard.dashboard_pictures(owner=owner)
    assert again == first
    assert len(captured) <= 3  # the data version and the cache, nothing recomputed
    interaction_log(owner=owner, contacts=[network["dan"]], kind=InteractionKind.HELP_RECEIVED, occurred_on=TODAY)
    assert dashboard.dashboard_pictures(owner=owner)["help"]["totals"] == {"given": 2, "received": 2}
    contact_create(owner=owner, full_name="Nina Nouvelle", city="Rennes")
    cities = dashboard.dashboard_pictures(owner=owner)["by_city"]["items"]
    assert {"label": "Rennes", "count": 1} in cities
    contact_set_archived(contact=network["chloe"], archived=True)
    assert "Chloé Petit" not in json.dumps(dashboard.dashboard_pictures(owner=owner)["map"])


def test_the_page_shows_a_new_interaction_at_once(client_of, owner, network):
    client = client_of(owner)
    assert "5 interactions over the last 26 weeks." in get_dashboard(client).text
    interaction_log(owner=owner, contacts=[network["dan"]], kind=InteractionKind.CALL, occurred_on=TODAY)
    assert "6 interactions over the last 26 weeks." in get_dashboard(client).text


def test_the_network_by_circle_counts_contacts_who_share_my_circles(owner, member, stranger, contact_of):
    from circles import services as circles
    from network.dashboard import network_by_circle

    club = circles.circle_create(creator=owner, name="Marseille Tech", family="tech")
    circles.membership_join(circle=club, member=member)
    other = circles.circle_create(creator=stranger, name="Cercle fermé", family="peers")
    circles.membership_join(circle=other, member=member)
    contact_of(owner, full_name="Marc Leroy", member=member)
    contact_of(owner, full_name="Sans compte")
    assert network_by_circle(owner=owner) == [{"label": "Marseille Tech", "count": 1}]
