"""French and English: the browser's language by default, a switch that is remembered, a full catalogue."""

import ast
import gettext
import html
import re

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

PO_FILE = settings.BASE_DIR / "locale" / "fr" / "LC_MESSAGES" / "django.po"
MO_FILE = PO_FILE.with_suffix(".mo")


def _home(client, **headers):
    response = client.get(reverse("home"), **headers)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def _lang(page: str) -> str:
    return re.search(r'<html lang="([\w-]+)"', page).group(1)


# --- Choosing the language


@pytest.mark.parametrize(
    ("accept_language", "lang", "signup"),
    [
        ("en-GB,en;q=0.9", "en", "Sign up"),
        ("fr-FR,fr;q=0.9,en;q=0.5", "fr", "S'inscrire"),
        ("de-DE,en;q=0.8", "en", "Sign up"),  # the first language Cercle speaks
        ("de-DE", "fr", "S'inscrire"),  # none of them: French, the default
    ],
)
def test_the_browsers_language_is_used_by_default(accept_language, lang, signup, client):
    page = _home(client, HTTP_ACCEPT_LANGUAGE=accept_language)
    assert _lang(page) == lang
    assert f">{signup}</a>" in page


def test_switching_the_language_is_remembered_by_the_browser(client):
    response = client.post(reverse("people:set_language"), {"language": "en", "next": "/members/"})
    assert response.status_code == 302 and response["Location"] == "/members/"
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en"
    assert int(cookie["max-age"]) == settings.LANGUAGE_COOKIE_AGE

    # The choice wins over the browser's own preference on the next visits.
    page = _home(client, HTTP_ACCEPT_LANGUAGE="fr-FR,fr")
    assert _lang(page) == "en" and ">Sign up</a>" in page

    client.post(reverse("people:set_language"), {"language": "fr", "next": "/"})
    assert _lang(_home(client, HTTP_ACCEPT_LANGUAGE="en")) == "fr"


def test_a_logged_in_members_choice_is_stored_on_their_profile(client_of, owner):
    client = client_of(owner)
    assert owner.profile.language == "fr"
    client.post(reverse("people:set_language"), {"language": "en", "next": "/me/"})
    owner.profile.refresh_from_db()
    assert owner.profile.language == "en"
    assert "Edit my profile" in html.unescape(client.get(reverse("people:me")).content.decode())


def test_a_language_cercle_does_not_speak_changes_nothing(client_of, owner):
    client = client_of(owner)
    response = client.post(reverse("people:set_language"), {"language": "de", "next": "/"})
    assert response.status_code == 302
    owner.profile.refresh_from_db()
    assert owner.profile.language == "fr"
    page = html.unescape(client.get(reverse("people:me"), HTTP_ACCEPT_LANGUAGE="de-DE").content.decode())
    assert _lang(page) == "fr" and "Modifier mon profil" in page


def test_switching_the_language_never_redirects_to_another_site(client):
    response = client.post(reverse("people:set_language"), {"language": "en", "next": "https://evil.example/"})
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_the_language_switch_only_accepts_post(client):
    assert client.get(reverse("people:set_language"), {"language": "en"}).status_code == 405


# --- The French catalogue


def _po_entries(path) -> list[dict]:
    """A small .po reader. Entries are separated by blank lines; each gives its flags (`#, fuzzy`),
    msgctxt, msgid, msgid_plural and msgstr or msgstr[n], continuation lines joined."""
    entries: list[dict] = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        entry: dict = {"flags": set()}
        key = None
        for line in block.splitlines():
            line = line.strip()
            if not line or line.startswith("#~"):  # obsolete entries are not used
                continue
            if line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#"):
                continue
            elif match := re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+(".*")$', line):
                key = match.group(1)
                entry[key] = ast.literal_eval(match.group(2))
            elif line.startswith('"') and key:
                entry[key] += ast.literal_eval(line)
            else:
                raise AssertionError(f"{path.name}: cannot read {line!r}")
        if "msgid" in entry:
            entries.append(entry)
    return entries


def _translations(entry) -> list[str]:
    return [value for key, value in entry.items() if key.startswith("msgstr")]


def test_the_po_reader_sees_every_entry():
    entries = _po_entries(PO_FILE)
    assert len(entries) == PO_FILE.read_text(encoding="utf-8").count("\nmsgid ")
    assert entries[0]["msgid"] == ""  # the header
    assert any("msgid_plural" in e for e in entries)


def _catalogue_problems(path) -> tuple[list[str], list[str]]:
    """(untranslated msgids, fuzzy msgids) of a .po file; the header is the only empty msgid."""
    entries = _po_entries(path)
    header, messages = entries[0], entries[1:]
    assert header["msgid"] == "" and "Language: fr" in header["msgstr"]
    untranslated = [e["msgid"] for e in messages if not all(t.strip() for t in _translations(e))]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    return untranslated, fuzzy


def test_every_french_string_is_translated_and_none_is_fuzzy():
    untranslated, fuzzy = _catalogue_problems(PO_FILE)
    assert untranslated == [], f"untranslated in {PO_FILE.name}: {untranslated}"
    assert fuzzy == [], f"fuzzy in {PO_FILE.name}: {fuzzy}"


def test_placeholders_are_the_same_in_french_and_english():
    placeholder = re.compile(r"%\(\w+\)[sdf]|%[sdf]")
    mismatched = []
    for entry in _po_entries(PO_FILE)[1:]:
        wanted = sorted(placeholder.findall(entry.get("msgid_plural") or entry["msgid"]))
        for translation in _translations(entry):
            found = sorted(placeholder.findall(translation))
            # A French singular may spell out "1" where English keeps the number (plural forms).
            if found != wanted and not ("msgid_plural" in entry and set(found) <= set(wanted)):
                mismatched.append((entry["msgid"], translation))
    assert mismatched == []


def test_the_compiled_catalogue_matches_the_po_file():
    """`make messages` compiles the .po: a stale .mo would show English to French members."""
    with MO_FILE.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    stale = []
    for entry in _po_entries(PO_FILE)[1:]:
        msgid = entry["msgid"] if "msgctxt" not in entry else f"{entry['msgctxt']}\x04{entry['msgid']}"
        if "msgid_plural" in entry:
            for index in range(2):
                if catalogue._catalog.get((msgid, index)) != entry[f"msgstr[{index}]"]:
                    stale.append(entry["msgid"])
        elif catalogue._catalog.get(msgid) != entry["msgstr"]:
            stale.append(entry["msgid"])
    assert stale == [], "run `make messages` to compile the French catalogue"


def test_a_missing_translation_would_be_caught(tmp_path):
    """An empty msgstr or a fuzzy entry makes the catalogue test fail."""
    broken = tmp_path / "django.po"
    broken.write_text(
        PO_FILE.read_text(encoding="utf-8")
        + '\n#: people/new.py:1\nmsgid "A brand new string"\nmsgstr ""\n'
        + '\n#: people/new.py:2\n#, fuzzy, python-format\nmsgid "Hello %(name)s"\nmsgstr "Bonjour %(name)s"\n',
        encoding="utf-8",
    )
    assert _catalogue_problems(broken) == (["A brand new string"], ["Hello %(name)s"])
    entries = _po_entries(broken)
    assert entries[-1]["flags"] == {"fuzzy", "python-format"}
    assert len(entries) == len(_po_entries(PO_FILE)) + 2
