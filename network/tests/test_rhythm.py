"""Keeping in touch: who is due to reconnect, logging an exchange, snooze, no cadence, the weekly goal."""

import datetime as dt
import html
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from network import selectors, services
from network.models import Contact, Interaction, InteractionKind

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def browser(client_of, owner, settings):
    client = client_of(owner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _listed(response) -> list[str]:
    prefix = re.escape(reverse("network:contact_list"))
    names = re.findall(rf'<a href="{prefix}\d+/">(?:<strong>)?([^<]+)', response.content.decode())
    return [html.unescape(name) for name in names]


def _due_names(owner, today=None) -> list[str]:
    return [c.full_name for c in selectors.contacts_due(owner=owner, today=today)]


def _due_page(client) -> list[str]:
    response = client.get(reverse("network:due_list"))
    assert response.status_code == 200
    return _listed(response)


@pytest.fixture
def overdue(owner, contact_of, days_ago):
    """Inès: every 30 days, last seen 40 days ago — ten days overdue."""
    contact = contact_of(owner, full_name="Inès Moreau", cadence_days=30, emails=["ines@example.org"])
    services.interaction_log(owner=owner, contacts=[contact], kind="lunch", occurred_on=days_ago(40))
    contact.refresh_from_db()
    return contact


def _today() -> dt.date:
    return timezone.localdate()


# --- Who is due


def test_a_contact_past_their_cadence_is_due(owner, overdue, days_ago):
    assert overdue.last_interaction_on == days_ago(40)
    assert overdue.next_due_on == days_ago(10)
    assert _due_names(owner) == ["Inès Moreau"]


def test_a_contact_within_their_cadence_or_without_one_is_not_due(owner, contact_of, days_ago):
    recent = contact_of(owner, full_name="Paul Girard", cadence_days=30)
    services.interaction_log(owner=owner, contacts=[recent], kind="coffee", occurred_on=days_ago(20))
    idle = contact_of(owner, full_name="Zoé Martin", met_on=days_ago(900))
    services.interaction_log(owner=owner, contacts=[idle], kind="coffee", occurred_on=days_ago(800))
    assert _due_names(owner) == []
    assert _due_names(owner, today=_today() + dt.timedelta(days=10)) == ["Paul Girard"]


def test_a_contact_never_met_since_being_added_is_due_a_cadence_after_the_date_met(owner, contact_of, days_ago):
    contact_of(owner, full_name="Inès Moreau", cadence_days=30, met_on=days_ago(31))
    contact_of(owner, full_name="Paul Girard", cadence_days=30, met_on=days_ago(29))
    contact_of(owner, full_name="Zoé Martin", cadence_days=30)  # added today, no date met
    assert _due_names(owner) == ["Inès Moreau"]


def test_the_due_list_shows_the_most_overdue_first(browser, owner, contact_of, days_ago):
    for name, cadence, last in [("A little late", 30, 35), ("Very late", 30, 200), ("Late", 60, 100)]:
        contact = contact_of(owner, full_name=name, cadence_days=cadence)
        services.interaction_log(owner=owner, contacts=[contact], kind="call", occurred_on=days_ago(last))
    contact_of(owner, full_name="Not yet", cadence_days=90)
    assert _due_names(owner) == ["Very late", "Late", "A little late"]
    assert _due_page(browser) == ["Very late", "Late", "A little late"]


def test_another_members_contacts_are_never_on_my_due_list(client_of, owner, member, overdue):
    assert _due_names(member) == []
    assert _due_page(client_of(member)) == []


# --- Logging an exchange takes the contact off the list


def test_logging_on_the_contact_page_takes_them_off_the_due_list(browser, owner, overdue):
    url = reverse("network:contact_detail", args=[overdue.pk])
    response = browser.post(url, {"kind": "lunch", "occurred_on": _today().isoformat(), "note": "Projet de podcast"})
    assert response.status_code == 302 and response["Location"] == url

    page = _text(browser.get(url))
    assert "Logged. The keep-in-touch clock starts again." in page
    assert "Projet de podcast" in page
    overdue.refresh_from_db()
    assert overdue.last_interaction_on == _today()
    assert overdue.next_due_on == _today() + dt.timedelta(days=30)
    assert _due_page(browser) == []


def test_an_older_exchange_logged_late_does_not_move_the_last_one_back(owner, overdue, days_ago):
    services.interaction_log(owner=owner, contacts=[overdue], kind="call", occurred_on=days_ago(90))
    overdue.refresh_from_db()
    assert overdue.last_interaction_on == days_ago(40)


def test_an_exchange_dated_in_the_future_is_refused_with_the_reason(browser, owner, overdue):
    tomorrow = (_today() + dt.timedelta(days=1)).isoformat()
    response = browser.post(
        reverse("network:contact_detail", args=[overdue.pk]),
        {"kind": "lunch", "occurred_on": tomorrow, "note": "Plus tard"},
    )
    assert response.status_code == 200
    assert "An interaction cannot be dated in the future." in _text(response)
    assert overdue.interactions.count() == 1
    assert _due_page(browser) == ["Inès Moreau"]

    with pytest.raises(ValidationError):
        services.interaction_log(
            owner=owner, contacts=[overdue], kind="coffee", occurred_on=_today() + dt.timedelta(days=1)
        )


def test_the_quick_add_finds_the_contact_by_the_name_typed(browser, owner, overdue, contact_of):
    contact_of(owner, full_name="Paul Girard")
    response = browser.post(
        reverse("network:interaction_create"),
        {"who": "ines", "kind": "coffee", "occurred_on": _today().isoformat(), "next": reverse("network:due_list")},
        follow=True,
    )
    assert "Logged. The keep-in-touch clock starts again." in _text(response)
    assert _listed(response) == []  # back on the due list, now empty
    interaction = Interaction.objects.get(owner=owner, kind="coffee")
    assert [c.full_name for c in interaction.contacts.all()] == ["Inès Moreau"]
    overdue.refresh_from_db()
    assert overdue.last_interaction_on == _today()


def test_the_quick_add_logs_one_exchange_with_every_contact_ticked(browser, owner, overdue, contact_of, days_ago):
    paul = contact_of(owner, full_name="Paul Girard", cadence_days=30, met_on=days_ago(60))
    assert _due_names(owner) == ["Paul Girard", "Inès Moreau"]
    response = browser.post(
        reverse("network:interaction_create"),
        {
            "contacts": [overdue.pk, paul.pk],
            "kind": "lunch",
            "occurred_on": days_ago(1).isoformat(),
            "note": "Déjeuner à trois",
        },
        **HTMX,
    )
    assert response.status_code == 200
    assert response["HX-Trigger"] == "interaction-logged"
    assert "Logged. The keep-in-touch clock starts again." in _text(response)
    interaction = Interaction.objects.get(owner=owner, note="Déjeuner à trois")
    assert set(interaction.contacts.all()) == {overdue, paul}
    assert _due_names(owner) == []
    for contact in (overdue, paul):
        contact.refresh_from_db()
        assert contact.last_interaction_on == days_ago(1)


def test_the_quick_add_with_an_ambiguous_name_asks_to_pick_and_writes_nothing(browser, owner, overdue, contact_of):
    contact_of(owner, full_name="Inès Dubois")
    before = Interaction.objects.count()
    response = browser.post(
        reverse("network:interaction_create"),
        {"who": "Inès", "kind": "coffee", "occurred_on": _today().isoformat()},
    )
    assert response.status_code == 200
    page = _text(response)
    assert "Several contacts match “Inès”: pick one from the suggestions." in page
    assert 'value="Inès"' in page  # what was typed stays in the box
    assert Interaction.objects.count() == before

    htmx = browser.post(
        reverse("network:interaction_create"), {"who": "Inès", "kind": "coffee", "occurred_on": _today()}, **HTMX
    )
    assert "Several contacts match" in _text(htmx) and "<html" not in _text(htmx)
    assert Interaction.objects.count() == before


def test_the_quick_add_with_an_unknown_name_says_so(browser, owner, overdue):
    response = browser.post(
        reverse("network:interaction_create"), {"who": "Personne", "kind": "coffee", "occurred_on": _today()}
    )
    assert "No contact matches “Personne”." in _text(response)
    assert Interaction.objects.filter(owner=owner).count() == 1


def test_the_quick_add_cannot_tick_another_members_contact(client_of, member, overdue):
    response = client_of(member).post(
        reverse("network:interaction_create"),
        {"contacts": [overdue.pk], "kind": "coffee", "occurred_on": _today().isoformat()},
    )
    assert response.status_code == 200
    assert Interaction.objects.filter(owner=member).count() == 0
    assert overdue.interactions.count() == 1


def test_log_a_coffee_from_the_due_list_in_one_click(browser, owner, overdue):
    response = browser.post(
        reverse("network:contact_quick_log", args=[overdue.pk]),
        {"kind": "coffee", "next": reverse("network:due_list")},
        follow=True,
    )
    page = _text(response)
    assert "Logged. The keep-in-touch clock starts again." in page
    assert "Nobody is waiting for news from you. Well done!" in page
    assert overdue.interactions.filter(kind="coffee", occurred_on=_today()).exists()
    overdue.refresh_from_db()
    assert overdue.last_interaction_on == _today()


def test_log_a_coffee_with_htmx_swaps_the_due_list_without_the_contact(browser, owner, overdue, contact_of, days_ago):
    contact_of(owner, full_name="Paul Girard", cadence_days=30, met_on=days_ago(60))
    response = browser.post(reverse("network:contact_quick_log", args=[overdue.pk]), {"kind": "coffee"}, **HTMX)
    assert response.status_code == 200
    page = _text(response)
    assert page.lstrip().startswith('<div id="due-list">') and "<html" not in page
    assert _listed(response) == ["Paul Girard"]
    overdue.refresh_from_db()
    assert overdue.last_interaction_on == _today()


def test_a_failed_one_click_log_says_why_and_does_not_claim_success(browser, owner, overdue):
    response = browser.post(
        reverse("network:contact_quick_log", args=[overdue.pk]),
        {"kind": "tea ceremony", "next": reverse("network:due_list")},
        follow=True,
    )
    page = _text(response)
    assert "Unknown kind of interaction." in page
    assert "Logged." not in page
    assert _listed(response) == ["Inès Moreau"]
    assert overdue.interactions.count() == 1


def test_the_due_list_links_to_a_drafted_message(browser, overdue):
    page = browser.get(reverse("network:due_list")).content.decode()
    assert reverse("network:contact_draft", args=[overdue.pk]) in page


# --- Snooze, no cadence, deleting an exchange


def test_snooze_takes_the_contact_off_the_list_for_two_weeks(browser, owner, overdue):
    response = browser.post(
        reverse("network:contact_snooze", args=[overdue.pk]), {"next": reverse("network:due_list")}, follow=True
    )
    assert _listed(response) == []
    today = _today()
    assert _due_names(owner, today=today + dt.timedelta(days=13)) == []
    assert _due_names(owner, today=today + dt.timedelta(days=14)) == ["Inès Moreau"]


def test_snooze_with_htmx_returns_the_due_list(browser, owner, overdue):
    response = browser.post(reverse("network:contact_snooze", args=[overdue.pk]), **HTMX)
    assert "Nobody is waiting for news from you. Well done!" in _text(response)
    assert "<html" not in _text(response)


def test_no_cadence_takes_the_contact_off_for_good(browser, owner, overdue):
    response = browser.post(reverse("network:contact_no_cadence", args=[overdue.pk]), **HTMX)
    assert _listed(response) == []
    overdue.refresh_from_db()
    assert overdue.cadence_days is None
    assert _due_names(owner, today=_today() + dt.timedelta(days=3650)) == []
    assert "no reminder" in _text(browser.get(reverse("network:contact_detail", args=[overdue.pk])))


def test_a_new_exchange_after_no_cadence_brings_no_reminder(owner, overdue):
    services.contact_set_cadence(contact=overdue, days=None)
    services.interaction_log(owner=owner, contacts=[overdue], kind="coffee")
    assert _due_names(owner, today=_today() + dt.timedelta(days=3650)) == []


def test_deleting_the_only_exchange_makes_the_contact_due_again(browser, owner, contact_of, days_ago):
    contact = contact_of(owner, full_name="Inès Moreau", cadence_days=30, met_on=days_ago(100))
    assert _due_names(owner) == ["Inès Moreau"]
    interaction = services.interaction_log(owner=owner, contacts=[contact], kind="coffee")
    assert _due_names(owner) == []

    detail = reverse("network:contact_detail", args=[contact.pk])
    response = browser.post(reverse("network:interaction_delete", args=[interaction.pk]), {"next": detail})
    assert response["Location"] == detail
    assert "The interaction is deleted." in _text(browser.get(detail))
    contact.refresh_from_db()
    assert contact.last_interaction_on is None
    assert _due_page(browser) == ["Inès Moreau"]


def test_deleting_the_latest_exchange_falls_back_to_the_one_before(owner, overdue, days_ago):
    latest = services.interaction_log(owner=owner, contacts=[overdue], kind="coffee", occurred_on=days_ago(2))
    services.interaction_delete(interaction=latest)
    overdue.refresh_from_db()
    assert overdue.last_interaction_on == days_ago(40)
    assert _due_names(owner) == ["Inès Moreau"]


# --- This week's goal and the streak

# A Wednesday; its week runs from Monday 2 June to Sunday 8 June 2025.
TODAY = dt.date(2025, 6, 4)


def _week(n: int, weekday: int = 2) -> dt.date:
    """A day of the week n weeks before TODAY's (0 = this week); weekday 0 is Monday."""
    monday = TODAY - dt.timedelta(days=TODAY.weekday()) - dt.timedelta(weeks=n)
    return monday + dt.timedelta(days=weekday)


@pytest.fixture
def log(owner, contact_of):
    contact = contact_of(owner, full_name="Inès Moreau")

    def add(kind: str, day: dt.date):
        return services.interaction_log(owner=owner, contacts=[contact], kind=kind, occurred_on=day)

    return add


def test_the_default_goal_is_one_lunch_or_coffee_a_week(owner, log):
    week = selectors.week_progress(owner=owner, today=TODAY)
    assert (week.goal, week.done, week.streak, week.met) == (1, 0, 0, False)
    assert set(week.kinds) == {InteractionKind.LUNCH, InteractionKind.COFFEE}

    log("coffee", _week(0, weekday=0))
    week = selectors.week_progress(owner=owner, today=TODAY)
    assert (week.done, week.met, week.streak) == (1, True, 1)


def test_a_breakfast_a_call_or_next_weeks_plans_do_not_count_by_default(owner, log):
    log("breakfast", _week(0, weekday=0))
    log("call", _week(0, weekday=1))
    log("lunch", _week(1, weekday=6))  # last Sunday: the week before
    week = selectors.week_progress(owner=owner, today=TODAY)
    assert week.done == 0


def test_changing_the_goal_changes_what_counts(owner, log):
    log("breakfast", _week(0, weekday=0))
    log("coffee", _week(0, weekday=1))
    services.rhythm_update(owner=owner, weekly_goal=2, goal_kinds=["breakfast", "lunch"])
    week = selectors.week_progress(owner=owner, today=TODAY)
    assert (week.goal, week.done, week.met) == (2, 1, False)
    log("lunch", _week(0, weekday=2))
    assert selectors.week_progress(owner=owner, today=TODAY).met


def test_a_goal_out_of_range_is_refused(owner):
    with pytest.raises(ValidationError):
        services.rhythm_update(owner=owner, weekly_goal=22, goal_kinds=["lunch"])
    assert services.rhythm_of(owner).weekly_goal == 1


def test_the_rhythm_page_saves_the_goal(browser, owner):
    page = _text(browser.get(reverse("network:rhythm_edit")))
    assert 'value="1"' in page
    response = browser.post(reverse("network:rhythm_edit"), {"weekly_goal": "3", "goal_kinds": ["breakfast", "call"]})
    assert response.status_code == 302
    rhythm = services.rhythm_of(owner)
    assert (rhythm.weekly_goal, rhythm.goal_kinds) == (3, ["breakfast", "call"])

    refused = browser.post(reverse("network:rhythm_edit"), {"weekly_goal": "50", "goal_kinds": ["lunch"]})
    assert refused.status_code == 200
    assert services.rhythm_of(owner).weekly_goal == 3


def test_the_streak_counts_the_weeks_met_in_a_row(owner, log):
    log("lunch", _week(1))
    log("coffee", _week(2, weekday=0))
    log("coffee", _week(3, weekday=6))
    log("breakfast", _week(4))  # the week the streak began: a breakfast does not count
    log("lunch", _week(5))
    week = selectors.week_progress(owner=owner, today=TODAY)
    assert (week.done, week.streak) == (0, 3)  # this week is not lost yet: the streak stands

    log("lunch", _week(0))
    assert selectors.week_progress(owner=owner, today=TODAY).streak == 4


def test_a_missed_week_breaks_the_streak(owner, log):
    log("lunch", _week(2))
    log("lunch", _week(3))
    assert selectors.week_progress(owner=owner, today=TODAY).streak == 0  # nothing last week


def test_the_streak_needs_the_whole_goal_each_week(owner, log):
    services.rhythm_update(owner=owner, weekly_goal=2, goal_kinds=["lunch", "coffee"])
    log("lunch", _week(1, weekday=0))
    log("coffee", _week(1, weekday=3))
    log("lunch", _week(2))  # only one that week
    log("lunch", _week(3, weekday=0))
    log("lunch", _week(3, weekday=1))
    assert selectors.week_progress(owner=owner, today=TODAY).streak == 1


def test_an_exchange_with_several_contacts_counts_once(owner, log, contact_of):
    paul = contact_of(owner, full_name="Paul Girard")
    zoe = contact_of(owner, full_name="Zoé Martin")
    services.interaction_log(owner=owner, contacts=[paul, zoe], kind="lunch", occurred_on=_week(0, weekday=0))
    services.rhythm_update(owner=owner, weekly_goal=2, goal_kinds=["lunch"])
    assert selectors.week_progress(owner=owner, today=TODAY).done == 1


def test_another_members_lunches_do_not_count_for_me(owner, member, contact_of, log):
    theirs = contact_of(member, full_name="Paul Girard")
    services.interaction_log(owner=member, contacts=[theirs], kind="lunch", occurred_on=_week(0, weekday=0))
    assert selectors.week_progress(owner=owner, today=TODAY).done == 0
    assert selectors.week_progress(owner=member, today=TODAY).done == 1


def test_an_exchange_cannot_be_logged_with_someone_elses_contact(owner, member, contact_of):
    theirs = contact_of(member, full_name="Paul Girard")
    with pytest.raises(ValidationError):
        services.interaction_log(owner=owner, contacts=[theirs], kind="lunch")
    assert not Contact.objects.get(pk=theirs.pk).interactions.exists()
