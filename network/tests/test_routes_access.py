"""Every route of my network: anonymous visitors are sent to log in, another member gets 404.

The test enumerates the URL patterns, so a new route cannot slip in unclassified.
"""

import pytest
from django.urls import get_resolver, reverse

from network import services
from network.imports import import_preview

pytestmark = pytest.mark.django_db

OBJECT_ARGS = {"contact_id", "interaction_id", "batch_id"}
# Routes without an object: the owner's own lists, forms and exports.
OWN_ROUTES = {
    "dashboard", "contact_list", "contact_create", "interaction_create", "due_list", "rhythm_edit",
    "ledger", "review", "import_upload", "export_vcard", "export_csv",
}  # fmt: skip
POST_ONLY = {
    "contact_archive", "contact_snooze", "contact_no_cadence", "contact_quick_log", "interaction_delete",
    "import_confirm", "import_cancel", "interaction_create",
}  # fmt: skip


def _network_routes():
    resolver = get_resolver()
    namespace = resolver.namespace_dict["network"][1]
    for pattern in namespace.url_patterns:
        yield pattern.name, set(pattern.pattern.converters)


@pytest.fixture
def owned(owner, contact_of):
    contact = contact_of(owner, emails=["helene@example.org"], notes="secret note")
    interaction = services.interaction_log(owner=owner, contacts=[contact], kind="lunch")
    vcard = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jean Test\r\nEMAIL:jean@example.org\r\nEND:VCARD\r\n"
    batch = import_preview(owner=owner, filename="a.vcf", data=vcard)
    return {"contact_id": contact.pk, "interaction_id": interaction.pk, "batch_id": batch.pk}


def test_every_route_is_classified():
    for name, args in _network_routes():
        assert args <= OBJECT_ARGS, f"{name} takes unknown arguments {args}"
        assert args or name in OWN_ROUTES, f"classify the new route {name}"


def test_anonymous_visitors_are_sent_to_log_in_everywhere(client, owned):
    for name, args in _network_routes():
        url = reverse(f"network:{name}", kwargs={a: owned[a] for a in args})
        response = client.post(url) if name in POST_ONLY else client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name


def test_another_member_gets_404_for_every_object_of_the_owner(client, member, owned):
    client.force_login(member)
    for name, args in _network_routes():
        if not args:
            continue
        url = reverse(f"network:{name}", kwargs={a: owned[a] for a in args})
        get = client.get(url)
        post = client.post(url)
        assert get.status_code in (404, 405), f"GET {name}: {get.status_code}"
        assert post.status_code == 404, f"POST {name}: {post.status_code}"


def test_another_members_lists_and_exports_never_show_the_owners_contacts(client, member, owned):
    client.force_login(member)
    for name in ("dashboard", "contact_list", "due_list", "ledger", "review", "export_vcard", "export_csv"):
        body = client.get(reverse(f"network:{name}")).content.decode()
        assert "Hélène" not in body and "helene@example.org" not in body, name
    assert "Hélène" not in client.get(reverse("network:contact_list"), {"q": "helene"}).content.decode()


def test_the_api_gives_404_for_another_members_contact(client, member, owned):
    from people.services import api_token_create

    key = api_token_create(user=member, name="t").key
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert client.get(f"/api/network/contacts/{owned['contact_id']}", **auth).status_code == 404
    assert client.get("/api/network/contacts?q=helene", **auth).json()["items"] == []
    response = client.post(
        "/api/network/interactions",
        {"contact_ids": [owned["contact_id"]], "kind": "coffee"},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 404
