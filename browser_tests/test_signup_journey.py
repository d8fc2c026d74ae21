"""A newcomer signs up, verifies the e-mail, fills a profile in French, switches to English."""

import re

import pytest
from django.core import mail

pytestmark = pytest.mark.django_db(transaction=True)


def _confirmation_link(outbox) -> str:
    body = outbox[-1].body
    return re.search(r"https?://\S+/accounts/confirm-email/\S+", body).group(0)


def test_a_newcomer_signs_up_fills_a_french_profile_and_reads_it_in_english(page, live_server, cities):
    page.goto(live_server.url + "/accounts/signup/")
    assert page.locator("html").get_attribute("lang") == "fr"
    page.get_by_label("Courriel").fill("lea.garnier@example.org")
    page.get_by_label("Mot de passe :", exact=True).fill("un long mot de passe 2026")
    page.get_by_label("Mot de passe (confirmation)").fill("un long mot de passe 2026")
    page.get_by_role("button", name="Création de compte").click()
    page.wait_for_url(re.compile(r"/accounts/confirm-email/"))
    assert "lea.garnier@example.org" in mail.outbox[-1].to

    link = _confirmation_link(mail.outbox).replace("http://testserver", live_server.url)
    page.goto(link)
    page.get_by_role("button", name="Confirmer").click()
    page.wait_for_url(re.compile(r"/me/$"))

    page.get_by_role("link", name="Modifier mon profil").click()
    page.get_by_label("Nom affiché").fill("Léa Garnier")
    page.get_by_label("Accroche").fill("Photographe portrait à Marseille")
    page.get_by_role("combobox", name="Profession").select_option("photographer")
    page.get_by_label("Ville").fill("Marseille")
    page.get_by_label("Ouverture").check()
    page.get_by_label("Curiosité").check()
    page.get_by_label("Petit-déjeuner").check()
    page.get_by_label("Compétences que je propose").fill("photographie, retouche")
    page.get_by_role("button", name="Enregistrer mon profil").click()
    page.wait_for_url(re.compile(r"/me/$"))
    assert page.get_by_role("heading", name="Léa Garnier").is_visible()
    assert page.get_by_text("Photographe", exact=True).first.is_visible()

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="Edit my profile").is_visible()
    assert page.get_by_text("Photographer", exact=True).first.is_visible()
    assert page.get_by_text("Openness").first.is_visible()
    assert page.get_by_text("Marseille").first.is_visible()
