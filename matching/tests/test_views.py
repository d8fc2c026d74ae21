import pytest
from django.urls import reverse

from matching.arrays import arrays_rebuild
from matching.models import Dismissal, MatchWeights

pytestmark = pytest.mark.django_db
PAGE = reverse("matching:suggestions")


def test_the_page_shows_each_suggestion_with_its_reasons_and_actions(client_of, owner, teacher, hidden):
    arrays_rebuild()
    html = client_of(owner).get(PAGE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "People to meet this week" in html
    assert "Léa Fontaine" in html and "Aubagne" in html
    assert "can teach you growth marketing, which you want to learn" in html
    assert reverse("people:member_detail", args=[teacher.pk]) in html  # ask to connect
    assert reverse("matching:dismiss", args=[teacher.pk]) in html
    assert 'type="range"' in html
    assert "Inès" not in html


def test_the_page_speaks_french(client_of, owner, teacher):
    arrays_rebuild()
    client = client_of(owner)
    client.cookies["django_language"] = "fr"
    html = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Personnes à rencontrer cette semaine" in html
    assert "Vous partagez franc-parler et ouverture" in html


def test_the_page_renders_for_a_member_with_nobody_to_meet(client_of, stranger):
    response = client_of(stranger).get(PAGE, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Nobody to suggest for now" in response.content.decode()


def test_dismiss_with_htmx_removes_the_card(client_of, owner, teacher):
    arrays_rebuild()
    client = client_of(owner)
    response = client.post(reverse("matching:dismiss", args=[teacher.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response.content == b""
    assert Dismissal.objects.filter(member=owner, dismissed=teacher).exists()
    assert "Léa Fontaine" not in client.get(PAGE).content.decode()


def test_dismiss_without_javascript_comes_back_to_the_page(client_of, owner, teacher):
    arrays_rebuild()
    response = client_of(owner).post(reverse("matching:dismiss", args=[teacher.pk]), follow=True)
    assert response.redirect_chain[-1][0] == PAGE
    assert "Léa Fontaine" not in response.content.decode()


def test_one_cannot_dismiss_oneself_nor_someone_one_may_not_find(client_of, owner, hidden):
    client = client_of(owner)
    assert client.post(reverse("matching:dismiss", args=[owner.pk])).status_code == 404
    assert client.post(reverse("matching:dismiss", args=[hidden.pk])).status_code == 404
    assert client.post(reverse("matching:dismiss", args=[999_999])).status_code == 404
    assert not Dismissal.objects.exists()


def test_weights_are_saved_per_member(client_of, owner, member):
    data = {
        "spirit": "2.5",
        "location": "0",
        "gap": "1",
        "synchronicity": "0.5",
        "objectives": "1",
        "availability": "3",
    }
    response = client_of(owner).post(reverse("matching:weights"), data)
    assert response.status_code == 302
    weights = MatchWeights.objects.get(member=owner)
    assert (weights.spirit, weights.location, weights.availability) == (2.5, 0.0, 3.0)
    assert not MatchWeights.objects.filter(member=member).exists()


def test_weights_out_of_range_are_refused(client_of, owner):
    data = {"spirit": "-1", "location": "9", "gap": "1", "synchronicity": "1", "objectives": "1", "availability": "1"}
    response = client_of(owner).post(reverse("matching:weights"), data)
    assert response.status_code == 400
    assert not MatchWeights.objects.exists()


def test_the_page_asks_a_bounded_number_of_queries(client_of, owner, candidate, cities, django_assert_max_num_queries):
    for i in range(10):
        candidate(f"c{i}@example.org", f"Candidate {i}", city=cities["Marseille"], values=["openness"])
    arrays_rebuild()
    client = client_of(owner)
    # A dozen for the page (session, user, weights, arrays' version, exclusions, the ten profiles and
    # their objectives), then privacy.selectors.seen_by's audience checks: 3 per card (block,
    # connection, circle) at the time of writing; one more for my connections (a mutual connection
    # to ask for an introduction: intros.selectors.strongest_mutuals).
    with django_assert_max_num_queries(13 + 3 * 10):
        response = client.get(PAGE)
    assert response.content.decode().count('class="member-card"') == 10
