"""Review findings: privacy leaks around introduction asks."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from intros import selectors, services
from intros.models import Introduction
from intros.tests.conftest import ASK, REASON
from people.selectors import account_export
from people.services import api_token_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked_and_declined(trio):
    """Vera asks Anna to introduce her to Tom (whose name she knows); Anna does; Tom declines."""
    vera, anna, tom = trio
    ask = services.introduction_ask_create(requester=vera, mutual=anna, target=tom, reason=ASK)
    ask = services.introduction_ask_introduce(ask=ask, mutual=anna, reason=REASON)
    intro = ask.introduction
    services.introduction_answer(member=tom, introduction=intro, accept=False)
    return vera, anna, tom, intro


def test_the_requester_is_not_told_that_the_member_they_asked_for_declined(client, asked_and_declined):
    """Vera knows whom she asked for: "did not go ahead" the moment Tom answers would tell her Tom
    declined. As with an ask or a connection request, it reads pending until its date."""
    vera, _anna, _tom, intro = asked_and_declined
    (item,) = selectors.introductions_for(vera)
    assert item.state == "pending"

    client.force_login(vera)
    page = client.get(reverse("intros:introductions"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "did not go ahead" not in page and "Waiting for the other person" in page

    key = api_token_create(user=vera, name="script").key
    data = Client().get("/api/intros/introductions", HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert data["for_me"][0]["state"] == "pending"
    assert account_export(user=vera)["intros"]["introductions_received"][0]["state"] == "pending"

    # Past its date it reads as an expiry, like any introduction nobody answered.
    Introduction.objects.filter(pk=intro.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    (item,) = selectors.introductions_for(vera)
    assert item.state == "expired"
    assert account_export(user=vera)["intros"]["introductions_received"][0]["state"] == "expired"


def test_the_introducer_and_the_one_who_declined_still_see_the_decline(asked_and_declined):
    vera, anna, tom, _intro = asked_and_declined
    assert [i.state for i in selectors.introductions_by(anna)] == ["declined"]
    assert [i.state for i in selectors.introductions_for(tom)] == ["declined"]


def _queries(fn) -> int:
    from django.db import connection as db_connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(db_connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_the_introductions_page_does_not_ask_per_introduction(client, open_member, connect):
    """The lists of introductions for me and by me read names in a few queries, whatever their number."""
    me = open_member("Moi Même")
    client.force_login(me)
    url = reverse("intros:introductions")

    def grow():
        a, b, c = open_member(), open_member(), open_member()
        connect(me, a), connect(me, b), connect(a, c), connect(b, c)
        services.introduction_create(introducer=me, first=a, second=b, reason=REASON)  # by me
        services.introduction_create(introducer=a, first=me, second=c, reason=REASON)  # for me

    grow()
    few = _queries(lambda: client.get(url))
    for _ in range(4):
        grow()
    assert _queries(lambda: client.get(url)) == few
    assert len(selectors.introductions_by(me)) == 5 and len(selectors.introductions_for(me)) == 5
