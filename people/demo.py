"""The bilingual demo data set: a few thousand fictional members over French cities.

Deterministic for a seed (same names, same profiles), loaded in bulk, and
reloadable: demo accounts all live under the DEMO_DOMAIN e-mail domain. Later
apps add their own demo data by registering a step with `register_demo_step`.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from faker import Faker

from people import demo_data, vocab
from people.models import DEFAULT_VISIBILITY, Discoverability, Level, Objective, Profile, User, new_card_token
from people.services import profile_refresh_derived
from places.models import City
from places.text import fold

DEMO_DOMAIN = "demo.cercle.local"
DEMO_LOGIN = f"camille@{DEMO_DOMAIN}"
DEMO_PASSWORD = "cercle-demo"
DEFAULT_MEMBERS = 3000
DEFAULT_SEED = 2026

_STEPS: list[tuple[str, Callable]] = []


def register_demo_step(name: str, step: Callable) -> None:
    """`step(rng: random.Random, members: list[User])`, run after the members exist."""
    _STEPS.append((name, step))


_CLEANUPS: list[Callable[[], None]] = []


def register_demo_cleanup(cleanup: Callable[[], None]) -> None:
    """`cleanup()`, run before the demo members are deleted (e.g. whole demo events at once,
    rather than one answer at a time through the members' deletion)."""
    _CLEANUPS.append(cleanup)


@dataclass(frozen=True)
class DemoSummary:
    members: int
    cities: int


def demo_delete() -> int:
    for cleanup in _CLEANUPS:
        cleanup()
    deleted, _detail = User.objects.filter(email__endswith="@" + DEMO_DOMAIN).delete()
    return deleted


def _cities() -> list[tuple[City, int]]:
    by_name = {}
    for name, weight in demo_data.CITIES:
        city = City.objects.filter(search_name=fold(name), country_code="FR").order_by("-population").first()
        if city is not None:
            by_name[name] = (city, weight)
    return list(by_name.values())


def _member_profile(rng: random.Random, fake_fr: Faker, fake_en: Faker, cities, index: int) -> dict:
    english = rng.random() < 0.2
    fake = fake_en if english else fake_fr
    first, last = fake.first_name(), fake.last_name()
    profession = rng.choice(list(demo_data.PROFESSIONS))
    headline_fr, headline_en, skills = demo_data.PROFESSIONS[profession]
    lang = 1 if english else 0
    own_skills = [pair[lang] for pair in rng.sample(skills, k=min(len(skills), rng.randint(2, 3)))]
    pool = [pair[lang] for other in demo_data.PROFESSIONS.values() for pair in other[2]]
    pool += [pair[lang] for pair in demo_data.EXTRA_LEARNING]
    learning = [s for s in dict.fromkeys(rng.sample(pool, k=4)) if s not in own_skills][:3]
    values = rng.sample(vocab.Value.values, k=rng.randint(3, 5))
    if rng.random() < 0.15:
        values.append(rng.choice(demo_data.FREE_VALUES_EN if english else demo_data.FREE_VALUES_FR))
    city = rng.choices([c for c, _w in cities], weights=[w for _c, w in cities])[0] if cities else None
    languages = ["en", "fr"] if english else ["fr"] + (["en"] if rng.random() < 0.6 else [])
    if rng.random() < 0.1:
        languages.append(rng.choice(["es", "de", "it", "ar", "br", "oc"]))
    discoverability = rng.choices(
        [Discoverability.MEMBERS, Discoverability.CIRCLES, Discoverability.HIDDEN], weights=[80, 12, 8]
    )[0]
    visibility = {field: str(level) for field, level in DEFAULT_VISIBILITY.items()}
    if rng.random() < 0.3:
        visibility["city"] = str(Level.CIRCLES)
    if rng.random() < 0.4:
        visibility["contact_email"] = str(Level.MEMBERS)
    slug = fold(f"{first}.{last}").replace(" ", "-").replace("'", "")
    return {
        "email": f"{slug}.{index}@{DEMO_DOMAIN}",
        "display_name": f"{first} {last}",
        "headline": headline_en if english else headline_fr,
        "profession": profession,
        "sector": rng.choice(vocab.Sector.values),
        "city": city,
        "languages": languages,
        "skills": own_skills,
        "learning": learning,
        "values": values,
        "formats": rng.sample(vocab.Format.values, k=rng.randint(1, 3)),
        "phone": fake.phone_number() if rng.random() < 0.5 else "",
        "website": f"https://{slug.replace('.', '-')}.example" if rng.random() < 0.3 else "",
        "discoverability": discoverability,
        "visibility": visibility,
        "language": "en" if english else "fr",
        "objective": rng.choice(demo_data.OBJECTIVES_EN if english else demo_data.OBJECTIVES_FR)
        if rng.random() < 0.35
        else "",
    }


def _camille(cities) -> dict:
    """The documented demo login: a Marseille growth marketer with a full profile."""
    marseille = next((c for c, _w in cities if c.name == "Marseille"), None)
    return {
        "email": DEMO_LOGIN,
        "display_name": "Camille Martin",
        "headline": "Growth marketer indépendante, j'aide les marques locales à grandir sans se renier",
        "profession": "growth_marketer",
        "sector": "media",
        "city": marseille,
        "languages": ["fr", "en", "es"],
        "skills": ["growth marketing", "SEO", "emailing"],
        "learning": ["levée de fonds", "prise de parole", "développement web"],
        "values": ["openness", "direct_talk", "curiosity", "kindness"],
        "formats": ["breakfast", "lunch", "after_work"],
        "phone": "+33 6 12 34 56 78",
        "website": "https://camille-martin.example",
        "discoverability": Discoverability.MEMBERS,
        "visibility": {field: str(level) for field, level in DEFAULT_VISIBILITY.items()},
        "language": "fr",
        "objective": "Rencontrer trois growth marketers avant mars",
    }


def demo_load(*, seed: int = DEFAULT_SEED, members: int = DEFAULT_MEMBERS) -> DemoSummary:
    """Replace the demo members with a fresh, deterministic set."""
    rng = random.Random(seed)
    fake_fr, fake_en = Faker("fr_FR"), Faker("en_GB")
    fake_fr.seed_instance(seed)
    fake_en.seed_instance(seed + 1)
    cities = _cities()
    rows = [_camille(cities)] + [_member_profile(rng, fake_fr, fake_en, cities, i) for i in range(1, members)]
    # One hash for every demo account: hashing thousands of passwords would take minutes.
    password = make_password(DEMO_PASSWORD)
    with transaction.atomic():
        demo_delete()
        users = User.objects.bulk_create([User(email=row["email"], password=password) for row in rows], batch_size=1000)
        if users and users[0].pk is None:  # backends that do not return ids from bulk inserts
            by_email = dict(User.objects.filter(email__endswith="@" + DEMO_DOMAIN).values_list("email", "pk"))
            for user in users:
                user.pk = by_email[user.email]
        _verify_emails(users)
        profiles = []
        for user, row in zip(users, rows, strict=True):
            profile = Profile(
                user=user,
                card_token=new_card_token(),
                **{k: v for k, v in row.items() if k not in {"email", "objective"}},
            )
            profile_refresh_derived(profile)
            profiles.append(profile)
        Profile.objects.bulk_create(profiles, batch_size=1000)
        Objective.objects.bulk_create(
            [
                Objective(profile=p, text=row["objective"])
                for p, row in zip(profiles, rows, strict=True)
                if row["objective"]
            ],
            batch_size=1000,
        )
        for _name, step in _STEPS:
            step(rng, users)
    return DemoSummary(members=len(users), cities=len(cities))


def _verify_emails(users) -> None:
    from allauth.account.models import EmailAddress

    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users], batch_size=1000
    )
