"""Importing through the API: the same preview → confirm, the same owner-only rule."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from network.models import Contact
from people.services import api_token_create

pytestmark = pytest.mark.django_db

VCARDS = (
    b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jean Morel\r\nEMAIL:jean@example.org\r\nEND:VCARD\r\n"
    b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ines Roux\r\nTEL:06 11 22 33 44\r\nEND:VCARD\r\n"
)


def _auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=user, name='t').key}"}


def _upload(client, user, data, name="contacts.vcf"):
    return client.post("/api/network/imports", {"file": SimpleUploadedFile(name, data)}, **_auth(user))


def test_an_upload_is_a_preview_and_writes_no_contact(client, owner):
    response = _upload(client, owner, VCARDS)
    assert response.status_code == 201
    body = response.json()
    assert [row["fields"]["full_name"] for row in body["rows"]] == ["Jean Morel", "Ines Roux"]
    assert body["status"] == "preview"
    assert not Contact.objects.filter(owner=owner).exists()


def test_confirming_imports_the_rows(client, owner):
    batch = _upload(client, owner, VCARDS).json()
    response = client.post(
        f"/api/network/imports/{batch['id']}/confirm", {}, content_type="application/json", **_auth(owner)
    )
    assert response.status_code == 200 and response.json()["status"] == "done"
    assert sorted(Contact.objects.filter(owner=owner).values_list("full_name", flat=True)) == [
        "Ines Roux",
        "Jean Morel",
    ]


def test_a_rejected_file_gets_422_with_the_reason_and_writes_nothing(client, owner):
    response = _upload(client, owner, b"\x89PNG\r\n\x1a\n\x00\x00binary")
    assert response.status_code == 422
    assert response.json()["detail"]
    assert not Contact.objects.exists()


def test_another_member_cannot_see_or_confirm_my_import(client, owner, member):
    batch = _upload(client, owner, VCARDS).json()
    assert client.get(f"/api/network/imports/{batch['id']}", **_auth(member)).status_code == 404
    confirm = client.post(
        f"/api/network/imports/{batch['id']}/confirm", {}, content_type="application/json", **_auth(member)
    )
    assert confirm.status_code == 404
    assert not Contact.objects.exists()
