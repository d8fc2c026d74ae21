"""A member imports a vCard, gives the new contact a rhythm, logs a lunch, and the reminder goes."""

import datetime as dt
import re

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

VCARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jean Morel\r\nN:Morel;Jean;;;\r\nORG:Atelier Morel\r\n"
    "EMAIL;TYPE=INTERNET:jean.morel@example.org\r\nTEL;TYPE=CELL:06 12 34 56 78\r\nEND:VCARD\r\n"
)


def test_import_a_vcard_log_a_lunch_and_the_contact_leaves_the_overdue_list(browser, live_server, owner, tmp_path):
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(live_server.url + "/accounts/login/")
        page.get_by_label("Email").fill(owner.email)
        page.get_by_label("Password").fill("correct horse battery")
        page.get_by_role("button", name="Sign In").click()
        page.wait_for_url(re.compile(r"/network/$"))

        card = tmp_path / "jean.vcf"
        card.write_text(VCARD)
        page.get_by_role("link", name="Import").first.click()
        page.locator("input[type=file]").set_input_files(str(card))
        page.get_by_role("button", name="Preview the import").click()
        assert page.get_by_text("Jean Morel").first.is_visible()
        page.get_by_role("button", name="Confirm the import").click()
        page.wait_for_load_state()

        page.goto(live_server.url + "/network/contacts/?q=morel")
        page.get_by_role("link", name="Jean Morel").click()
        page.get_by_role("link", name="Edit").click()
        met = timezone.localdate() - dt.timedelta(days=60)
        page.get_by_label("Date met").fill(met.isoformat())
        page.get_by_label("Keep in touch every (days)").fill("30")
        page.get_by_role("button", name="Save the contact").click()

        page.goto(live_server.url + "/network/")
        due = page.locator("#due-list")
        assert due.get_by_text("Jean Morel").is_visible()

        due.get_by_role("link", name="Jean Morel").click()
        page.get_by_label("Kind").select_option("lunch")
        page.get_by_role("button", name="Log it").click()
        assert page.locator(".timeline").get_by_text("Lunch").is_visible()

        page.goto(live_server.url + "/network/")
        assert page.locator("#due-list").get_by_text("Jean Morel").count() == 0
    finally:
        context.close()
