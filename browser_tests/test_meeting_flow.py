"""Meeting the right people: a suggestion with its reasons, an ask to a mutual connection, the
introduction accepted by both sides (double opt-in), and each then sees the other's name and e-mail."""

import re

import pytest
from playwright.sync_api import expect

from intros import graph as intro_graph
from intros import services as intros
from matching import arrays as matching_arrays
from people.models import Discoverability

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery"
ASK = "We both care about growth marketing in Provence: I would love to hear how she works."
INTRODUCTION = "Léa teaches growth marketing, which the person I introduce wants to learn. Breakfast in Aubagne?"


@pytest.fixture
def fresh_engine(settings, tmp_path):
    """The suggestions' arrays and the connection graph are rebuilt from this test's rows only."""
    settings.INTRO_GRAPH_DIR = str(tmp_path / "intro-graph")
    matching_arrays._memo = None
    intro_graph._memo = None

    def rebuild():
        matching_arrays.arrays_rebuild()
        intro_graph.graph_rebuild()

    yield rebuild
    matching_arrays._memo = None
    intro_graph._memo = None


def _signed_in(browser, base, email):
    """A browser of its own (English) for this member, signed in through the real login page."""
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r"/network/$"))
    return context, page


def test_a_suggestion_an_ask_a_double_opt_in_and_both_see_each_other(
    browser, live_server, owner, make_member, cities, fresh_engine, request
):
    # Hélène (owner: values openness and direct talk, wants to learn growth marketing) looks for people.
    lea = make_member(
        "lea.fontaine@example.org",
        display_name="Léa Fontaine",
        city=cities["Aubagne"],
        skills=["Growth hacking", "SEO"],
        values=["openness", "direct_talk"],
        formats=["breakfast"],
        discoverability=Discoverability.MEMBERS,
    )
    paul = make_member(
        "paul.girard@example.org",
        display_name="Paul Girard",
        city=cities["Marseille"],
        discoverability=Discoverability.MEMBERS,
    )
    for other in (owner, lea):  # Paul knows both of them
        sent = intros.connection_request_send(sender=paul, recipient=other, reason="We met at the Vieux-Port club.")
        intros.connection_request_accept(request=sent, recipient=other)
    fresh_engine()

    base = live_server.url
    contexts = []
    pages = {}

    def open_as(name, email):
        context, page = _signed_in(browser, base, email)
        contexts.append(context)
        pages[name] = page
        return page

    try:
        # Hélène sees Léa among the people to meet, with the reasons in words, and asks Paul.
        helene = open_as("helene", owner.email)
        helene.goto(base + "/meet/")
        card = helene.locator(f"#suggestion-{lea.pk}")
        expect(card.get_by_role("link", name="Léa Fontaine")).to_be_visible()
        expect(card.get_by_text("Léa Fontaine can teach you growth marketing, which you want to learn")).to_be_visible()
        expect(card.get_by_text(re.compile(r"^You share "))).to_be_visible()
        card.get_by_text("Edit the message").click()
        card.get_by_label("Your message to Paul Girard").fill(ASK)
        card.get_by_role("button", name="Ask Paul Girard for an introduction").click()
        expect(card.get_by_text("Your ask is sent.")).to_be_visible()
        helene.reload()
        expect(card.get_by_text("Introduction asked: waiting for an answer.")).to_be_visible()

        # Paul finds the ask on his introductions page and introduces them.
        paul_page = open_as("paul", paul.email)
        paul_page.goto(base + "/intros/introductions/")
        asks = paul_page.locator("#asks-received")
        expect(asks.get_by_text("Hélène Dupré asks you to introduce them to Léa Fontaine.")).to_be_visible()
        expect(asks.locator("blockquote")).to_have_text(ASK)
        asks.get_by_label("Why should they meet? Both read it with your name.").fill(INTRODUCTION)
        asks.get_by_role("button", name="Introduce them").click()
        expect(paul_page.get_by_text("Your introduction is sent.")).to_be_visible()
        expect(paul_page.get_by_text("Nobody is waiting for an introduction from you.")).to_be_visible()

        # Léa reads who introduces her and why, but not to whom, until she accepts.
        lea_page = open_as("lea", lea.email)
        lea_page.goto(base + "/intros/introductions/")
        proposal = lea_page.locator("li[id^=introduction-]")
        expect(
            proposal.get_by_text("Paul Girard would like to introduce you to one of their connections.")
        ).to_be_visible()
        expect(proposal.locator("blockquote")).to_have_text(INTRODUCTION)
        for hidden in ("Hélène", "Dupré", owner.email):
            expect(lea_page.locator("body")).not_to_contain_text(hidden)
        proposal.get_by_role("button", name="Accept").click()
        expect(lea_page.get_by_text("You both accepted. You can now write to each other:")).to_be_visible()
        expect(lea_page.get_by_text("Hélène Dupré")).to_be_visible()
        expect(lea_page.get_by_role("link", name=owner.email)).to_have_attribute("href", f"mailto:{owner.email}")

        # Hélène, on her side, now sees Léa's name and e-mail.
        helene.goto(base + "/intros/introductions/")
        expect(helene.get_by_text("You both accepted. You can now write to each other:")).to_be_visible()
        expect(helene.locator("li[id^=introduction-]").get_by_text("Léa Fontaine")).to_be_visible()
        expect(helene.get_by_role("link", name=lea.email)).to_have_attribute("href", f"mailto:{lea.email}")
    except BaseException:
        from browser_tests.conftest import SCREENSHOTS

        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for name, page in pages.items():
            path = SCREENSHOTS / f"{request.node.name}-{name}.png"
            page.screenshot(path=str(path), full_page=True)
            print(f"Screenshot of the failure ({name}): {path}")
        raise
    finally:
        for context in contexts:
            context.close()
