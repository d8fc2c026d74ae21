"""Editing one's profile through the page: fields, city, profession, values, photo, objectives."""

import html
import io
import os

import pytest
from django.urls import reverse
from PIL import Image

from people.models import Objective
from people.services import objective_add
from people.tests.images import gif_upload, png_declaring, png_upload

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    """The page as the member reads it (entities such as &#x27; decoded)."""
    return html.unescape(response.content.decode())


def _profile_form(**changes) -> dict:
    """What the edit form posts for a complete, valid profile; keyword arguments replace fields."""
    data = {
        "display_name": "Hélène Dupré",
        "headline": "Avocate en droit des affaires",
        "profession": "lawyer",
        "profession_other": "",
        "sector": "law",
        "city_query": "Marseille",
        "city": "",
        "time_zone": "Europe/Paris",
        "languages": ["fr", "en"],
        "skills": "droit des contrats, négociation",
        "learning": "growth marketing",
        "values": ["openness", "direct_talk"],
        "other_values": "",
        "formats": ["breakfast"],
        "contact_email": "",
        "phone": "+33 6 11 22 33 44",
        "website": "",
    }
    data.update(changes)
    return data


def _save(client, **changes):
    return client.post(reverse("people:profile_edit"), _profile_form(**changes))


# --- Fields


def test_saving_the_form_stores_every_field_and_returns_to_the_profile(client_of, owner, cities):
    client = client_of(owner)
    response = _save(
        client,
        headline="Avocate, droit des sociétés et des start-up",
        sector="law",
        city_query="Aubagne",
        languages=["fr", "es"],
        skills="due diligence ; levée de fonds, due diligence",
        learning="prise de parole",
        formats=["lunch", "after_work"],
        website="helene-dupre.example",
    )
    assert response.status_code == 302 and response["Location"] == reverse("people:me")

    profile = owner.profile
    profile.refresh_from_db()
    assert profile.headline == "Avocate, droit des sociétés et des start-up"
    assert profile.city == cities["Aubagne"]
    assert profile.languages == ["fr", "es"]
    assert profile.skills == ["due diligence", "levée de fonds"]  # split, trimmed, deduplicated
    assert profile.learning == ["prise de parole"]
    assert profile.formats == ["lunch", "after_work"]
    assert profile.website == "https://helene-dupre.example"

    page = _text(client.get(reverse("people:me")))
    assert "Votre profil est enregistré." in page
    assert "Avocate, droit des sociétés et des start-up" in page
    assert "Aubagne" in page


def test_the_form_opens_filled_with_the_current_profile(client_of, owner):
    page = _text(client_of(owner).get(reverse("people:profile_edit")))
    assert 'value="Avocate en droit des affaires"' in page
    assert 'value="Marseille"' in page
    assert "droit des contrats, négociation" in page


@pytest.mark.parametrize("typed", ["marseille", "MARSEILLE", "Marséille", "  Marseille, France"])
def test_a_typed_city_name_is_matched_to_the_real_town(typed, client_of, owner, cities):
    owner.profile.city = cities["Paris"]
    owner.profile.save()
    assert _save(client_of(owner), city_query=typed).status_code == 302
    owner.profile.refresh_from_db()
    assert owner.profile.city == cities["Marseille"]


def test_a_town_picked_from_the_suggestions_is_kept(client_of, owner, cities):
    aubagne = cities["Aubagne"]
    _save(client_of(owner), city_query="Aubagne", city=str(aubagne.pk))
    owner.profile.refresh_from_db()
    assert owner.profile.city == aubagne


def test_clearing_the_city_removes_it(client_of, owner):
    _save(client_of(owner), city_query="")
    owner.profile.refresh_from_db()
    assert owner.profile.city is None


def test_an_unknown_city_is_refused_with_a_clear_message_and_nothing_typed_is_lost(client_of, owner, cities):
    response = _save(
        client_of(owner),
        city_query="Atlantide",
        headline="Un nouveau titre que je ne veux pas retaper",
        skills="médiation, arbitrage",
    )
    assert response.status_code == 200
    page = _text(response)
    assert "Aucune ville nommée « Atlantide » n'a été trouvée." in page
    assert 'value="Atlantide"' in page
    assert 'value="Un nouveau titre que je ne veux pas retaper"' in page
    assert "médiation, arbitrage" in page

    owner.profile.refresh_from_db()
    assert owner.profile.city == cities["Marseille"]
    assert owner.profile.headline == "Avocate en droit des affaires"


def test_a_display_name_is_required(client_of, owner):
    response = _save(client_of(owner), display_name="")
    assert response.status_code == 200
    owner.profile.refresh_from_db()
    assert owner.profile.display_name == "Hélène Dupré"


# --- Profession and values


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("Avocat", "lawyer"),  # the French label of a listed profession
        ("  lawyer ", "lawyer"),  # the English one, any case and spacing
        ("Sophrologue", "other:sophrologue"),
        ("Sophrologue  Certifiée", "other:sophrologue certifiee"),
    ],
)
def test_a_typed_profession_is_normalised_to_one_seat(typed, key, client_of, owner):
    _save(client_of(owner), profession="", profession_other=typed)
    owner.profile.refresh_from_db()
    assert owner.profile.profession == "other"
    assert owner.profile.profession_key == key


def test_picking_a_listed_profession_replaces_earlier_free_text(client_of, owner):
    client = client_of(owner)
    _save(client, profession="", profession_other="Sophrologue")
    _save(client, profession="notary", profession_other="Sophrologue")
    owner.profile.refresh_from_db()
    assert (owner.profile.profession, owner.profile.profession_other) == ("notary", "")
    assert owner.profile.profession_key == "notary"


def test_values_keep_the_checked_codes_and_the_members_own_words(client_of, owner):
    client = client_of(owner)
    _save(client, values=["openness", "trust"], other_values="Sobriété heureuse, Bienveillance, ouverture")
    owner.profile.refresh_from_db()
    # A typed label of a listed value becomes its code; a value already checked is not repeated.
    assert owner.profile.values == ["openness", "trust", "Sobriété heureuse", "kindness"]

    form_page = _text(client.get(reverse("people:profile_edit")))
    assert "Sobriété heureuse" in form_page  # own words come back in the free-text box


# --- Photo


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _upload(client, upload):
    return client.post(reverse("people:photo_upload"), {"photo": upload}, follow=True)


@pytest.mark.parametrize(("size", "side"), [((900, 600), 512), ((300, 200), 200), ((512, 512), 512)])
def test_a_png_photo_is_stored_as_a_square_jpeg_of_at_most_512_pixels(size, side, client_of, owner, media):
    response = _upload(client_of(owner), png_upload(size=size))
    assert "Votre photo est enregistrée." in _text(response)
    owner.profile.refresh_from_db()
    assert owner.profile.photo.name.endswith(".jpg")
    with Image.open(media / owner.profile.photo.name) as stored:
        assert stored.format == "JPEG"
        assert stored.size == (side, side)


def test_a_new_photo_replaces_the_old_file(client_of, owner, media):
    client = client_of(owner)
    _upload(client, png_upload())
    owner.profile.refresh_from_db()
    first = owner.profile.photo.name
    _upload(client, png_upload(size=(600, 600)))
    owner.profile.refresh_from_db()
    assert owner.profile.photo.name != first
    assert not (media / first).exists()


def test_a_gif_is_refused_with_a_translated_message(client_of, owner, media):
    response = _upload(client_of(owner), gif_upload())
    assert "La photo doit être une image JPEG, PNG ou WebP." in _text(response)
    owner.profile.refresh_from_db()
    assert not owner.profile.photo


def test_a_file_that_is_not_an_image_is_refused(client_of, owner, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("photo.png", b"%PDF-1.7 not an image", content_type="image/png")
    response = _upload(client_of(owner), fake)
    assert "La photo doit être une image JPEG, PNG ou WebP." in _text(response)
    owner.profile.refresh_from_db()
    assert not owner.profile.photo


def test_an_oversized_photo_is_refused_before_it_is_read(client_of, owner, media, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.PHOTO_MAX_BYTES = 1024 * 1024
    buffer = io.BytesIO()
    Image.frombytes("RGB", (700, 700), os.urandom(700 * 700 * 3)).save(buffer, "PNG")  # noise: ~1.4 MB
    assert buffer.tell() > settings.PHOTO_MAX_BYTES
    big = SimpleUploadedFile("big.png", buffer.getvalue(), content_type="image/png")

    response = _upload(client_of(owner), big)
    assert "La photo est trop volumineuse (1 Mo maximum)." in _text(response)
    owner.profile.refresh_from_db()
    assert not owner.profile.photo
    assert not list(media.rglob("*.jpg"))


def _image_upload(image, image_format, name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    buffer = io.BytesIO()
    image.save(buffer, image_format)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{image_format.lower()}")


def test_a_small_file_declaring_a_huge_image_is_refused_without_decoding_it(client_of, owner, media):
    from django.utils import translation

    from people.services import PHOTO_MAX_PIXELS, PHOTO_TOO_MANY_PIXELS

    # 6,000 × 5,000 black-and-white pixels: a few kilobytes on disk, 90 MB once decoded in colour.
    bomb = _image_upload(Image.new("1", (6000, 5000)), "PNG", "bomb.png")
    assert PHOTO_MAX_PIXELS < 6000 * 5000 and bomb.size < 100_000

    response = _upload(client_of(owner), bomb)
    with translation.override("fr"):
        expected = str(PHOTO_TOO_MANY_PIXELS) % {"mp": PHOTO_MAX_PIXELS // 1_000_000}
    assert expected in _text(response)
    owner.profile.refresh_from_db()
    assert not owner.profile.photo


def test_a_decompression_bomb_is_called_too_large_not_the_wrong_type(client_of, owner, media):
    from django.utils import translation

    from people.services import PHOTO_MAX_PIXELS, PHOTO_TOO_MANY_PIXELS

    # 20,000 × 20,000 pixels declared in 67 bytes: beyond Pillow's own ceiling, met when opening.
    bomb = png_declaring(20_000, 20_000)
    assert bomb.size < 100 and 2 * Image.MAX_IMAGE_PIXELS < 20_000 * 20_000

    page = _text(_upload(client_of(owner), bomb))
    with translation.override("fr"):
        assert str(PHOTO_TOO_MANY_PIXELS) % {"mp": PHOTO_MAX_PIXELS // 1_000_000} in page
    assert "La photo doit être une image JPEG, PNG ou WebP." not in page
    owner.profile.refresh_from_db()
    assert not owner.profile.photo


def test_a_large_jpeg_is_decoded_scaled_down_and_accepted(client_of, owner, media, monkeypatch):
    monkeypatch.setattr("people.services.PHOTO_MAX_PIXELS", 1_000_000)
    photo = _image_upload(Image.new("RGB", (3000, 2100), (200, 120, 40)), "JPEG", "camera.jpg")  # 6.3 Mpx

    response = _upload(client_of(owner), photo)
    assert "Votre photo est enregistrée." in _text(response)
    owner.profile.refresh_from_db()
    with Image.open(media / owner.profile.photo.name) as stored:
        assert stored.size == (512, 512)


def test_removing_the_photo_deletes_the_file(client_of, owner, media):
    client = client_of(owner)
    _upload(client, png_upload())
    owner.profile.refresh_from_db()
    stored = media / owner.profile.photo.name
    assert stored.exists()
    client.post(reverse("people:photo_remove"))
    owner.profile.refresh_from_db()
    assert not owner.profile.photo
    assert not stored.exists()


# --- Objectives


def test_an_objective_is_added_and_shown_on_the_edit_page(client_of, owner):
    client = client_of(owner)
    response = client.post(
        reverse("people:objective_add"), {"text": "Rencontrer trois growth marketers", "target_date": "2027-03-01"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("people:profile_edit")
    objective = owner.profile.objectives.get()
    assert objective.text == "Rencontrer trois growth marketers"
    assert str(objective.target_date) == "2027-03-01"
    assert "Rencontrer trois growth marketers" in _text(client.get(reverse("people:profile_edit")))


def test_an_empty_objective_is_refused_with_a_message(client_of, owner):
    response = client_of(owner).post(reverse("people:objective_add"), {"text": ""}, follow=True)
    assert not owner.profile.objectives.exists()
    assert "L'objectif n'a pas pu être ajouté" in _text(response)


def test_objectives_are_toggled_and_deleted_through_the_page(client_of, owner):
    client = client_of(owner)
    objective = objective_add(profile=owner.profile, text="Trouver un expert-comptable")

    assert client.post(reverse("people:objective_toggle", args=[objective.pk])).status_code == 302
    objective.refresh_from_db()
    assert objective.done
    client.post(reverse("people:objective_toggle", args=[objective.pk]))
    objective.refresh_from_db()
    assert not objective.done

    assert client.post(reverse("people:objective_delete", args=[objective.pk])).status_code == 302
    assert not Objective.objects.filter(pk=objective.pk).exists()


def test_with_htmx_each_objective_action_returns_the_updated_list_only(client_of, owner):
    client = client_of(owner)
    hx = {"HTTP_HX_REQUEST": "true"}

    added = client.post(reverse("people:objective_add"), {"text": "Animer un petit-déjeuner"}, **hx)
    assert added.status_code == 200
    assert "<html" not in added.content.decode()  # a fragment, swapped into the page
    assert "Animer un petit-déjeuner" in _text(added)
    objective = owner.profile.objectives.get()

    toggled = client.post(reverse("people:objective_toggle", args=[objective.pk]), **hx)
    assert toggled.status_code == 200 and "<html" not in toggled.content.decode()
    assert 'class="done"' in toggled.content.decode()

    deleted = client.post(reverse("people:objective_delete", args=[objective.pk]), **hx)
    assert deleted.status_code == 200 and "<html" not in deleted.content.decode()
    assert "Animer un petit-déjeuner" not in _text(deleted)


def test_an_invalid_objective_via_htmx_shows_the_form_error_in_the_fragment(client_of, owner):
    response = client_of(owner).post(reverse("people:objective_add"), {"text": ""}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not owner.profile.objectives.exists()


@pytest.mark.parametrize("action", ["people:objective_toggle", "people:objective_delete"])
def test_a_member_cannot_change_another_members_objective(action, client_of, owner, member):
    objective = objective_add(profile=owner.profile, text="Préparer ma levée de fonds")
    client = client_of(member)
    assert client.post(reverse(action, args=[objective.pk])).status_code == 404
    assert client.post(reverse(action, args=[objective.pk]), HTTP_HX_REQUEST="true").status_code == 404
    objective.refresh_from_db()
    assert objective.text == "Préparer ma levée de fonds" and not objective.done


# --- City suggestions


@pytest.mark.parametrize("typed", ["mars", "MARS", "Mârs", "marsé", "Marséille"])
def test_city_suggestions_find_marseille_whatever_the_case_and_accents(typed, client, cities):
    response = client.get(reverse("places:city_suggestions"), {"city_query": typed})
    assert response.status_code == 200
    assert "Marseille" in _text(response)
    assert "Paris" not in _text(response)


def test_city_suggestions_list_the_biggest_towns_first(client, cities):
    from places.models import City

    City.objects.create(
        geoname_id=1,
        name="Marsillargues",
        search_name="marsillargues",
        country_code="FR",
        latitude=43.66,
        longitude=4.17,
        population=6_500,
    )
    page = _text(client.get(reverse("places:city_suggestions"), {"city_query": "mars"}))
    assert page.index("Marseille") < page.index("Marsillargues")


def test_city_suggestions_wait_for_two_letters(client, cities):
    assert "Marseille" not in _text(client.get(reverse("places:city_suggestions"), {"city_query": "m"}))
