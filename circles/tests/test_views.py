"""The circles pages: the access matrix of every route, listing rules, forms and flows, query counts."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from circles import services
from circles.models import Membership, MembershipMode, Participation, Report, Role, Status, Visibility
from circles.tests.test_routes_access import (
    CIRCLE_PAGES,
    MEMBER_PAGES,
    MEMBERSHIP_POSTS,
    MENTORING,
    OPEN,
    ORGANIZER_PAGES,
    ORGANIZER_POSTS,
    OWN,
    POST_ONLY,
    TOKEN,
    circles_routes,
)
from circles.vocab import Family
from notifications.models import Kind, Notification

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "stranger", "member", "organizer"]
LOGIN = "login"


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _login_redirect(response) -> bool:
    return response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.fixture
def objects(world, owner, member):
    """For each circle: the member's membership, a report and a mentoring pair; an invitation link."""
    found = {}
    for kind, circle in world.items():
        report = services.report_create(circle=circle, reporter=member, about="Un message", reason="Spam")
        pair = services.mentoring_pair_create(circle=circle, organizer=owner, mentor=owner, mentee=member)
        found[kind] = {
            "slug": circle.slug,
            "membership_id": Membership.objects.get(circle=circle, member=member).pk,
            "report_id": report.pk,
            "pair_id": pair.pk,
            "public": circle.visibility == Visibility.PUBLIC,
        }
    invitation = services.invitation_create(circle=world["public"], inviter=owner, email="new@example.org")
    token = services.invitation_link_token(invitation)
    for kind in found:
        found[kind]["token"] = token
    return found


def _expected(name: str, persona: str, public: bool):
    reachable = public or persona != "anonymous"
    if name in OPEN | TOKEN:
        return {200}
    if name in CIRCLE_PAGES:
        return {200} if reachable else {404}
    if persona == "anonymous":
        return LOGIN
    if name in OWN:
        return {200}
    insider = persona in ("member", "organizer")
    if name in MEMBER_PAGES:
        return {200} if insider else {404}
    if name == "join":
        return {302}
    if name in MEMBERSHIP_POSTS | MENTORING:
        return {302} if insider else {404}
    if name in ORGANIZER_PAGES:
        return {200} if persona == "organizer" else {404}
    if name in ORGANIZER_POSTS:
        return {302} if persona == "organizer" else {404}
    raise AssertionError(f"no expectation for {name}")


class _Rollback(Exception):
    pass


@pytest.mark.parametrize("persona", PERSONAS)
def test_access_matrix(persona, objects, owner, member, stranger, client):
    """Every route × this persona × a public, members-only, unlisted and cooptation circle.

    Each route runs in a transaction rolled back afterwards, so what one route does (joining,
    leaving, removing) never changes what the next one finds.
    """
    users = {"stranger": stranger, "member": member, "organizer": owner}
    failures = []
    for name, args in circles_routes():
        try:
            with transaction.atomic():
                if persona in users:
                    client.force_login(users[persona])
                for kind, values in objects.items():
                    url = reverse(f"circles:{name}", kwargs={a: values[a] for a in args})
                    response = client.post(url) if name in POST_ONLY else client.get(url)
                    expected = _expected(name, persona, values["public"])
                    ok = _login_redirect(response) if expected == LOGIN else response.status_code in expected
                    if not ok:
                        failures.append(f"{persona} {name} on {kind}: {response.status_code}, expected {expected}")
                raise _Rollback
        except _Rollback:
            client.logout()
    assert not failures, "\n".join(failures)


def test_a_missing_circle_and_a_forbidden_one_look_the_same(client, world, stranger, member):
    for name in ORGANIZER_PAGES:
        client.force_login(member)
        forbidden = client.get(reverse(f"circles:{name}", args=[world["public"].slug]))
        missing = client.get(reverse(f"circles:{name}", args=["no-such-circle"]))
        assert forbidden.status_code == missing.status_code == 404
    client.logout()
    assert client.get(reverse("circles:detail", args=[world["members"].slug])).status_code == 404
    assert client.get(reverse("circles:detail", args=["no-such-circle"])).status_code == 404
    assert client.get(reverse("circles:invitation", args=["not-a-signed-token"])).status_code == 404


def test_only_organizers_manage_through_posts_too(client, world, member):
    """A member posting to an organizer route changes nothing."""
    client.force_login(member)
    circle = world["public"]
    mine = Membership.objects.get(circle=circle, member=member)
    url = reverse("circles:member_role", args=[circle.slug, mine.pk])
    assert client.post(url, {"role": Role.ORGANIZER}).status_code == 404
    mine.refresh_from_db()
    assert mine.role == Role.MEMBER


# --- Listing rules ------------------------------------------------------------------------------


def _listed(client, **params) -> str:
    return client.get(reverse("circles:browse"), params).content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
def test_unlisted_circles_appear_in_no_listing_or_search(persona, client, world, owner, member, stranger):
    users = {"stranger": stranger, "member": member, "organizer": owner}
    if persona in users:
        client.force_login(users[persona])
    for page in (_listed(client), _listed(client, q="discret"), _listed(client, family=Family.TECH)):
        assert "Cercle Discret" not in page
    assert "Déjeuners du Panier" in _listed(client)
    members_only_listed = "Femmes Entrepreneures Provence" in _listed(client)
    assert members_only_listed == (persona != "anonymous")


def test_an_unlisted_circle_is_reached_by_its_link(client, world, stranger):
    url = reverse("circles:detail", args=[world["unlisted"].slug])
    assert client.get(url).status_code == 404
    client.force_login(stranger)
    assert client.get(url).status_code == 200


def test_my_circles_shows_my_unlisted_circle(client, world, member):
    client.force_login(member)
    page = client.get(reverse("circles:mine")).content.decode()
    for circle in world.values():
        assert circle.name in page


def test_browsing_filters_by_city_family_value_topic_and_words(client, world, owner, make_circle, cities, stranger):
    make_circle(
        owner,
        name="Python Lyon",
        family=Family.TECH,
        city=cities["Lyon"],
        topics=["Django", "data science"],
        values=["curiosity"],
    )
    client.force_login(stranger)
    assert "Python Lyon" in _listed(client, city=cities["Lyon"].pk)
    assert "Déjeuners du Panier" not in _listed(client, city=cities["Lyon"].pk)
    assert "Python Lyon" in _listed(client, family=Family.TECH)
    assert "Python Lyon" not in _listed(client, family=Family.BUSINESS)
    assert "Python Lyon" in _listed(client, value="curiosity")
    assert "Python Lyon" not in _listed(client, value="openness")
    assert "Python Lyon" in _listed(client, topic="data")
    assert "Python Lyon" not in _listed(client, topic="marketing")
    assert "Déjeuners du Panier" in _listed(client, q="DEJEUNERS panier")
    assert "Python Lyon" in _listed(client, q="curiosité")  # a value's label in either language


def test_browsing_with_htmx_returns_the_results_only(client, world):
    response = client.get(reverse("circles:browse"), {"q": "panier"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "Déjeuners du Panier" in body and "<html" not in body


def test_the_browse_page_costs_the_same_queries_for_few_or_many_circles(client, owner, make_circle, cities, stranger):
    client.force_login(stranger)
    for index in range(3):
        make_circle(owner, name=f"Cercle {index}", city=cities["Paris"])
    client.get(reverse("circles:browse"))  # warm the session and caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("circles:browse")).status_code == 200
    for index in range(3, 15):
        make_circle(owner, name=f"Cercle {index}", city=cities["Lyon"], topics=["a", "b"])
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("circles:browse")).status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many]


def test_the_members_list_costs_the_same_queries_for_few_or_many_members(client, world, owner, make_member):
    circle = world["public"]
    client.force_login(owner)
    url = reverse("circles:members", args=[circle.slug])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for index in range(15):
        services.membership_join(circle=circle, member=make_member(f"m{index}@example.org"))
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.content.decode().count('class="member-card"') == 17
    assert len(many) == len(few), [q["sql"] for q in many]


# --- A circle's page ----------------------------------------------------------------------------


def test_the_page_shows_charter_organizers_pros_and_cons_and_upcoming_events(client, world, stranger, owner):
    from events.models import Event

    circle = world["public"]
    starts = timezone.now() + dt.timedelta(days=3)
    Event.objects.create(
        circle=circle, title="Petit-déjeuner de rentrée", format="breakfast", starts_at=starts, ends_at=starts
    )
    past = timezone.now() - dt.timedelta(days=3)
    Event.objects.create(circle=circle, title="Ancien déjeuner", format="lunch", starts_at=past, ends_at=past)
    client.force_login(stranger)
    page = client.get(reverse("circles:detail", args=[circle.slug])).content.decode()
    assert "Bienveillance et franchise." in page
    assert "Hélène Dupré" in page  # the organizer, as her settings allow all members
    assert "Many cards exchanged" in page and "Harder when you have nothing to sell" in page
    assert "Petit-déjeuner de rentrée" in page and "Ancien déjeuner" not in page
    assert reverse("circles:join", args=[circle.slug]) in page


def test_each_mode_offers_its_own_way_in(client, world, stranger):
    client.force_login(stranger)
    request_page = client.get(reverse("circles:detail", args=[world["members"].slug])).content.decode()
    assert 'name="message"' in request_page
    cooptation_page = client.get(reverse("circles:detail", args=[world["cooptation"].slug])).content.decode()
    assert "only by invitation" in cooptation_page
    assert reverse("circles:join", args=[world["cooptation"].slug]) not in cooptation_page


def test_joining_with_htmx_swaps_the_membership_panel(client, world, stranger):
    client.force_login(stranger)
    response = client.post(reverse("circles:join", args=[world["public"].slug]), headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200 and 'id="membership"' in body and "<html" not in body
    assert "You are a member of this circle." in body
    membership = Membership.objects.get(circle=world["public"], member=stranger)
    response = client.post(
        reverse("circles:participation", args=[world["public"].slug]),
        {"participation": Participation.REMOTE},
        headers={"HX-Request": "true"},
    )
    membership.refresh_from_db()
    assert membership.participation == Participation.REMOTE
    client.post(reverse("circles:pairing", args=[world["public"].slug]), {"opt_in": "on"})
    membership.refresh_from_db()
    assert membership.pairing_opt_in


def test_joining_a_cooptation_circle_says_why_not(client, world, stranger):
    client.force_login(stranger)
    response = client.post(reverse("circles:join", args=[world["cooptation"].slug]), follow=True)
    assert str(services.ONLY_BY_INVITATION) in response.content.decode()


def test_creating_a_circle(client, member, cities):
    client.force_login(member)
    response = client.post(
        reverse("circles:create"),
        {
            "name": "Growth & Café Lyon",
            "family": Family.TECH,
            "description": "Un café le jeudi.",
            "charter": "On partage nos chiffres.",
            "city_query": "Lyon",
            "topics": "SEO, growth",
            "values": ["openness"],
            "other_values": "Partage",
            "visibility": Visibility.PUBLIC,
            "membership_mode": MembershipMode.REQUEST,
            "pairing_rhythm": "monthly",
        },
    )
    membership = Membership.objects.get(member=member)
    circle = membership.circle
    assert response.status_code == 302 and response["Location"] == reverse("circles:detail", args=[circle.slug])
    assert (circle.city, circle.topics, circle.values) == (cities["Lyon"], ["SEO", "growth"], ["openness", "Partage"])
    assert membership.role == Role.ORGANIZER


def test_creating_a_cooptation_circle_without_a_profession_says_why(client, member):
    client.force_login(member)
    response = client.post(
        reverse("circles:create"),
        {
            "name": "Club",
            "family": Family.REFERRAL,
            "visibility": Visibility.PUBLIC,
            "membership_mode": MembershipMode.COOPTATION,
            "pairing_rhythm": "monthly",
        },
    )
    assert response.status_code == 200
    assert str(services.CREATOR_PROFESSION_REQUIRED) in response.content.decode()


# --- Organizers ---------------------------------------------------------------------------------


def test_the_organizer_answers_a_request_from_the_manage_page(client, world, owner, stranger, with_profession):
    circle = world["members"]
    with_profession(stranger, "photographer")
    services.membership_join(circle=circle, member=stranger, message="Je viens d'arriver à Marseille.")
    client.force_login(owner)
    page = client.get(reverse("circles:manage", args=[circle.slug])).content.decode()
    assert "Zoé Martin" in page and "Photographer" in page and "Je viens d&#x27;arriver à Marseille." in page
    request = Membership.objects.get(circle=circle, member=stranger)
    client.post(
        reverse("circles:request_decide", args=[circle.slug, request.pk]),
        {"decision": "approve", "answer": "Bienvenue"},
    )
    request.refresh_from_db()
    assert request.status == Status.ACTIVE
    assert Notification.objects.filter(recipient=stranger, kind=Kind.REQUEST_ANSWERED).exists()


def test_the_organizer_sees_the_seat_map(client, world, owner, member):
    client.force_login(owner)
    page = client.get(reverse("circles:manage", args=[world["cooptation"].slug])).content.decode()
    seats = page[page.index('id="seats"') :]
    assert "Lawyer" in seats and "Hélène Dupré" in seats
    assert "Accountant" in seats and "Marc Leroy" in seats
    assert 'id="seats"' not in client.get(reverse("circles:manage", args=[world["public"].slug])).content.decode()


def test_the_organizer_sees_name_and_profession_even_of_a_hidden_member(client, world, owner, member):
    from people.models import Discoverability, Level
    from people.services import consent_update

    consent_update(
        profile=member.profile,
        discoverability=Discoverability.HIDDEN,
        visibility={"name": Level.ONLY_ME, "profession": Level.ONLY_ME},
    )
    client.force_login(owner)
    page = client.get(reverse("circles:members", args=[world["public"].slug])).content.decode()
    assert "Marc Leroy" in page and "Accountant" in page


def test_removing_needs_a_reason_and_tells_the_member(client, world, owner, member):
    circle = world["public"]
    membership = Membership.objects.get(circle=circle, member=member)
    client.force_login(owner)
    url = reverse("circles:member_remove", args=[circle.slug, membership.pk])
    page = client.post(url, {"reason": ""}, follow=True).content.decode()
    assert str(services.REASON_REQUIRED) in page
    client.post(url, {"reason": "Démarchage répété, contraire à la charte."})
    membership.refresh_from_db()
    assert membership.status == Status.REMOVED
    assert Notification.objects.get(recipient=member, kind=Kind.ANNOUNCEMENT).params["reason"].startswith("Démarchage")


def test_roles_announcements_reports_and_mentoring_from_the_manage_page(client, world, owner, member):
    circle = world["public"]
    mine = Membership.objects.get(circle=circle, member=member)
    client.force_login(owner)
    client.post(reverse("circles:member_role", args=[circle.slug, mine.pk]), {"role": Role.ORGANIZER})
    mine.refresh_from_db()
    assert mine.role == Role.ORGANIZER
    client.post(reverse("circles:announce", args=[circle.slug]), {"text": "Jeudi, on se retrouve au Panier."})
    assert Notification.objects.filter(recipient=member, kind=Kind.ANNOUNCEMENT).count() == 1
    report = services.report_create(circle=circle, reporter=member, about="Un message", reason="Spam")
    assert "Spam" in client.get(reverse("circles:manage", args=[circle.slug])).content.decode()
    client.post(reverse("circles:report_resolve", args=[circle.slug, report.pk]), {"resolution": "Retiré."})
    report.refresh_from_db()
    assert report.state == Report.State.RESOLVED
    client.post(reverse("circles:mentoring_create", args=[circle.slug]), {"mentor": owner.pk, "mentee": member.pk})
    pair = circle.mentoring_pairs.get()
    client.post(
        reverse("circles:mentoring_checkin", args=[circle.slug, pair.pk]),
        {"occurred_on": "2026-03-02", "note": "Premier café"},
    )
    assert pair.checkins.get().note == "Premier café"


def test_the_mentee_sees_the_pair_and_notes_a_check_in(client, world, owner, member):
    circle = world["public"]
    pair = services.mentoring_pair_create(circle=circle, organizer=owner, mentor=owner, mentee=member)
    client.force_login(member)
    page = client.get(reverse("circles:detail", args=[circle.slug])).content.decode()
    assert "Hélène Dupré mentors you." in page
    client.post(reverse("circles:mentoring_checkin", args=[circle.slug, pair.pk]), {"note": "Merci !"})
    assert pair.checkins.get().note == "Merci !"


def test_a_member_reports_a_fellow_member(client, world, owner, member):
    circle = world["public"]
    client.force_login(member)
    page = client.get(reverse("circles:report", args=[circle.slug])).content.decode()
    assert "Hélène Dupré" in page
    client.post(reverse("circles:report", args=[circle.slug]), {"reported": owner.pk, "reason": "Propos déplacés."})
    report = Report.objects.get(circle=circle)
    assert (report.reporter, report.reported, report.reason) == (member, owner, "Propos déplacés.")


# --- Invitations --------------------------------------------------------------------------------


def test_inviting_answers_the_same_whether_the_address_has_an_account(client, world, member, stranger):
    client.force_login(member)
    url = reverse("circles:invite", args=[world["public"].slug])
    known = client.post(url, {"email": stranger.email}, follow=True).content.decode()
    unknown = client.post(url, {"email": "nobody@example.org"}, follow=True).content.decode()
    assert f"Your invitation to {stranger.email} is on its way." in known
    assert "Your invitation to nobody@example.org is on its way." in unknown


def test_inviting_a_second_lawyer_says_why_on_the_page(client, world, member, make_member, with_profession):
    lawyer = with_profession(make_member("paul@example.org", discoverability="members"), "lawyer")
    client.force_login(member)
    page = client.post(reverse("circles:invite", args=[world["cooptation"].slug]), {"email": lawyer.email})
    assert "The seat of Lawyer is already taken in this circle: one seat per profession." in page.content.decode()


def test_inviting_a_hidden_lawyer_answers_as_for_an_unknown_address(
    client, world, member, make_member, with_profession
):
    hidden = with_profession(make_member("paul@example.org", discoverability="hidden"), "lawyer")
    client.force_login(member)
    url = reverse("circles:invite", args=[world["cooptation"].slug])
    page = client.post(url, {"email": hidden.email}, follow=True).content.decode()
    assert "Your invitation to paul@example.org is on its way." in page
    assert "already taken" not in page


def test_the_organizers_list_shows_people_they_may_not_see_as_the_addresses_invited(
    client, world, owner, make_member, with_profession
):
    circle = world["cooptation"]
    hidden = with_profession(make_member("paul@example.org", display_name="Paul Secret", discoverability="hidden"))
    seat_taken = make_member("claire@example.org", display_name="Claire Cachée", discoverability="hidden")
    with_profession(seat_taken, "accountant")  # the member's seat: a refusal the organizer is not told
    client.force_login(owner)
    for email in (hidden.email, seat_taken.email, "nouveau@example.org"):
        client.post(reverse("circles:invite", args=[circle.slug]), {"email": email})

    page = client.get(reverse("circles:manage", args=[circle.slug])).content.decode()
    invitations = page[page.index('id="invitations"') : page.index('id="announce"')]
    for email in ("paul@example.org", "claire@example.org", "nouveau@example.org"):
        assert email in invitations  # all three alike: an address waiting for an answer
    assert "Paul Secret" not in page and "Claire Cachée" not in page


def _signup_and_confirm(client, email):
    password = "un long mot de passe 2026"
    client.post(reverse("account_signup"), {"email": email, "password1": password, "password2": password})
    link = re.search(r"/accounts/confirm-email/\S+", mail.outbox[-1].body).group(0)
    return client.post(link, follow=True)


def test_an_invitation_leads_through_sign_up_into_the_circle(
    client, world, owner, django_user_model, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(circle=world["members"], inviter=owner, email="lea@example.org")
    link = re.search(r"/circles/invitations/\S+/", mail.outbox[-1].body).group(0)
    page = client.get(link).content.decode()
    assert "Hélène Dupré invites you to join this circle on Cercle." in page
    _signup_and_confirm(client, "lea@example.org")
    lea = django_user_model.objects.get(email="lea@example.org")
    membership = Membership.objects.get(circle=world["members"], member=lea)
    assert (membership.status, membership.sponsor) == (Status.ACTIVE, owner)
    invitation.refresh_from_db()
    assert invitation.accepted_by == lea


def test_an_invitation_to_a_cooptation_circle_waits_for_the_newcomers_profession(
    client, world, owner, django_user_model
):
    invitation = services.invitation_create(circle=world["cooptation"], inviter=owner, email="lea@example.org")
    client.get(reverse("circles:invitation", args=[services.invitation_link_token(invitation)]))
    response = _signup_and_confirm(client, "lea@example.org")
    assert str(services.PROFESSION_REQUIRED) in response.content.decode()
    lea = django_user_model.objects.get(email="lea@example.org")
    membership = Membership.objects.get(circle=world["cooptation"], member=lea)
    assert membership.status == Status.INVITED
    assert world["cooptation"].name in client.get(reverse("circles:mine")).content.decode()
    from people.services import profile_update

    profile_update(profile=lea.profile, profession="architect")
    client.post(reverse("circles:join", args=[world["cooptation"].slug]))
    membership.refresh_from_db()
    assert (membership.status, membership.seat_key) == (Status.ACTIVE, "architect")


def test_an_invitation_sent_to_an_address_waits_in_my_circles_once_it_is_verified(
    client, world, owner, django_user_model
):
    """Signed up in another browser, without opening the link: the verified address finds it."""
    services.invitation_create(circle=world["public"], inviter=owner, email="lea@example.org")
    _signup_and_confirm(client, "lea@example.org")
    lea = django_user_model.objects.get(email="lea@example.org")
    assert Membership.objects.get(circle=world["public"], member=lea).status == Status.INVITED


def test_a_signed_in_member_accepts_an_invitation_link(client, world, owner, stranger):
    invitation = services.invitation_create(circle=world["public"], inviter=owner, email="other@example.org")
    url = reverse("circles:invitation", args=[services.invitation_link_token(invitation)])
    client.force_login(stranger)
    assert "Accept the invitation" in client.get(url).content.decode()
    response = client.post(url)
    assert response["Location"] == reverse("circles:detail", args=[world["public"].slug])
    assert Membership.objects.get(circle=world["public"], member=stranger).status == Status.ACTIVE
    client.logout()
    assert client.get(url).status_code == 404  # used: nobody else gets in with it


def test_an_unlisted_circles_events_are_for_its_members(client, world, member, stranger):
    from events.models import Event

    circle = world["unlisted"]
    starts = timezone.now() + dt.timedelta(days=3)
    Event.objects.create(circle=circle, title="Apéro discret", format="evening", starts_at=starts, ends_at=starts)
    client.force_login(stranger)
    assert "Apéro discret" not in client.get(reverse("circles:detail", args=[circle.slug])).content.decode()
    client.force_login(member)
    assert "Apéro discret" in client.get(reverse("circles:detail", args=[circle.slug])).content.decode()


def test_upcoming_events_link_to_their_page_and_organizers_plan_one(client, world, owner):
    from events.models import Event

    circle = world["public"]
    starts = timezone.now() + dt.timedelta(days=3)
    event = Event.objects.create(circle=circle, title="Déjeuner", format="lunch", starts_at=starts, ends_at=starts)
    client.force_login(owner)
    page = client.get(reverse("circles:detail", args=[circle.slug])).content.decode()
    assert reverse("events:event_detail", args=[event.pk]) in page
    manage = client.get(reverse("circles:manage", args=[circle.slug])).content.decode()
    assert f"{reverse('events:event_create')}?circle={circle.pk}" in manage
