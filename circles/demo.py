"""Demo circles: three or four per demo city, every family, charters, organizers, members drawn
from the demo members, pending requests and invitations, remote followers — and the demo login
(Camille) organizing one circle and belonging to two others, one of them the cooptation referral
club "Club Affaires Vieux-Port" with its seat map.

Deterministic for the rng it is given. Demo circles are recognised by their address: it ends with
DEMO_SLUG_MARK, which `slugify` never produces (it collapses repeated hyphens), so reloading the demo
never touches a circle a real member created.
"""

import datetime as dt
import itertools
from collections import defaultdict

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from circles.models import (
    Circle,
    Invitation,
    Membership,
    MembershipMode,
    MentoringCheckin,
    MentoringPair,
    PairingRhythm,
    Participation,
    Report,
    Role,
    Status,
    Visibility,
)
from circles.services import circle_search_text
from circles.vocab import Family
from people import vocab
from people.demo import DEMO_DOMAIN
from people.demo_data import CITIES
from people.models import Profile
from places.models import City
from places.text import fold

DEMO_SLUG_MARK = "--demo"
SIGNATURE_CITY = "Marseille"
REFERRAL_CLUB = "Club Affaires Vieux-Port"

# Per family: (name pattern, language, description, topics). "{city}" is replaced by the city's name.
TEMPLATES: dict[str, list[tuple[str, str, str, list[str]]]] = {
    Family.BUSINESS: [
        (
            "Déjeuners d'affaires {city}",
            "fr",
            "Un déjeuner par mois, douze couverts, un tour de table sans slides. On vient pour "
            "rencontrer, pas pour vendre.",
            ["déjeuner", "entrepreneuriat", "TPE"],
        ),
        (
            "Petit-déjeuner des Entrepreneurs {city}",
            "fr",
            "Tous les premiers mardis, 8 h – 9 h 30, avant la journée de travail. Café, croissants et "
            "une présentation de cinq minutes par un membre.",
            ["petit-déjeuner", "PME", "dirigeants"],
        ),
        (
            "{city} Business Network",
            "en",
            "An English-speaking business network for founders, freelancers and expats. Monthly "
            "after-work, no sales pitch on the first meeting.",
            ["international", "expats", "freelance"],
        ),
    ],
    Family.BLOGGERS: [
        (
            "Blogueurs & Créateurs {city}",
            "fr",
            "Blogueuses, podcasteurs, vidéastes et illustratrices du coin : on partage nos outils, "
            "nos audiences et nos galères.",
            ["blog", "podcast", "réseaux sociaux"],
        ),
        (
            "Créatrices de contenu {city}",
            "fr",
            "Un apéro mensuel pour celles et ceux qui vivent (ou rêvent de vivre) de leurs contenus.",
            ["Instagram", "YouTube", "écriture"],
        ),
    ],
    Family.LAUNCHES: [
        (
            "Soirées Lancement {city}",
            "fr",
            "Une marque locale présente son nouveau produit dans un lieu à découvrir. Dégustation, "
            "démonstration, et on se parle ensuite.",
            ["lancement", "commerce local", "artisanat"],
        ),
        (
            "Launch Nights {city}",
            "en",
            "Startups of the region show what they just shipped. Five demos, five minutes each, then drinks.",
            ["startups", "demo", "product"],
        ),
    ],
    Family.TECH: [
        (
            "{city} Tech After-work",
            "fr",
            "Développeuses, product managers, designers et curieux : un after-work par mois, un "
            "sujet technique pour lancer la conversation.",
            ["développement web", "produit", "IA"],
        ),
        (
            "Python {city}",
            "fr",
            "Le meetup des pythonistes : deux talks courts, des questions, et une bière pour les "
            "débutants comme pour les vétérans.",
            ["Python", "Django", "data science"],
        ),
        (
            "Growth & Café {city}",
            "fr",
            "Growth marketers, SEO et rédacteurs : on échange nos tests, nos chiffres et nos échecs autour d'un café.",
            ["growth marketing", "SEO", "emailing"],
        ),
    ],
    Family.PEERS: [
        (
            "Femmes Entrepreneures {city}",
            "fr",
            "Un groupe de pairs pour les fondatrices et indépendantes : entraide, confidentialité, "
            "et un atelier par trimestre.",
            ["entrepreneuriat au féminin", "mentorat", "financement"],
        ),
        (
            "Freelances Solidaires {city}",
            "fr",
            "Des indépendants qui se refilent des missions, relisent les devis des autres et "
            "cassent la solitude du freelance.",
            ["freelance", "missions", "tarifs"],
        ),
        (
            "Women in Tech {city}",
            "en",
            "Peer support for women working in tech: monthly circles, mentoring pairs, and a "
            "safe space to ask anything.",
            ["women in tech", "career", "mentoring"],
        ),
    ],
    Family.REFERRAL: [
        (
            "Club Affaires {city}",
            "fr",
            "Un club de recommandation d'affaires : un siège par métier, un petit-déjeuner par "
            "semaine, et des recommandations qualifiées entre membres.",
            ["recommandation", "apporteurs d'affaires", "petit-déjeuner"],
        ),
        (
            "Cercle de Recommandation {city}",
            "fr",
            "Professionnels indépendants et TPE qui se recommandent mutuellement. Cooptation "
            "uniquement, une profession par siège.",
            ["recommandation", "artisans", "professions libérales"],
        ),
    ],
}

CHARTERS_FR = [
    "1. On donne avant de recevoir.\n2. On vient quand on peut, on prévient quand on ne peut pas.\n"
    "3. Aucune prospection agressive : on recommande, on ne démarche pas.\n"
    "4. Ce qui se dit dans le cercle reste dans le cercle.",
    "Bienveillance, franchise et ponctualité. On parle de son métier avec sincérité, on écoute "
    "autant qu'on parle, et on respecte le temps de chacun.",
    "Nous accueillons toutes les personnes, quels que soient leur parcours, leur genre ou leur "
    "origine. Les propos discriminants entraînent l'exclusion du cercle.",
    "Un membre s'engage à être présent au moins une fois par mois, à partager une ressource par "
    "trimestre et à accueillir les nouveaux venus.",
    "Pas de cartes de visite distribuées à la volée : on prend le temps d'une vraie conversation. "
    "Les recommandations se font avec l'accord de la personne recommandée.",
]
CHARTERS_EN = [
    "Give first. Show up or let us know. No cold pitching: we introduce, we don't sell. What is "
    "shared in the circle stays in the circle.",
    "Kindness, candour and punctuality. Everyone is welcome whatever their background; "
    "discriminatory remarks lead to removal.",
]
REQUEST_MESSAGES = [
    "Bonjour, je viens de m'installer dans la ville et je cherche à rencontrer des pros du coin.",
    "Une amie m'a parlé de votre cercle, j'aimerais beaucoup participer au prochain rendez-vous.",
    "Hello! I'd love to join, I work remotely and miss meeting people in person.",
    "Je suis indépendante depuis un an et je cherche un groupe de pairs bienveillant.",
]
REFERRAL_CLUB_CHARTER = (
    "Club Affaires Vieux-Port — charte des membres\n\n"
    "1. Un siège par métier : pas de concurrence entre membres.\n"
    "2. Petit-déjeuner chaque mardi à 7 h 30 au Café de la Marine ; trois absences non excusées "
    "par trimestre libèrent le siège.\n"
    "3. Chaque membre apporte au moins une recommandation qualifiée par mois.\n"
    "4. On ne recommande que ce qu'on a vu travailler.\n"
    "5. Les nouveaux membres entrent par cooptation, parrainés par un membre actif."
)

FAMILIES = list(Family.values)
MODES_BY_FAMILY = {
    Family.REFERRAL: [MembershipMode.COOPTATION],
    Family.PEERS: [MembershipMode.REQUEST, MembershipMode.OPEN],
    Family.BUSINESS: [MembershipMode.OPEN, MembershipMode.REQUEST],
}


def _demo_cities() -> list[City]:
    cities = []
    for name, _weight in CITIES:
        city = City.objects.filter(search_name=fold(name), country_code="FR").order_by("-population").first()
        if city is not None:
            cities.append(city)
    return cities


class _Builder:
    """Collects circles and memberships in memory, then writes them in a few bulk inserts."""

    def __init__(self, rng, members, profiles: dict[int, dict]):
        self.rng = rng
        self.members = members
        self.profiles = profiles
        self.now = timezone.now()
        self.slugs: set[str] = set()
        self.circles: list[Circle] = []
        self.rows: dict[str, list[dict]] = {}  # slug -> memberships to create
        self.generated = 0

    def slug(self, name: str, unlisted: bool) -> str:
        base = slugify(name)[:100]
        if unlisted:
            base = f"{base}-{self.rng.getrandbits(40):010x}"
        slug, n = base, 2
        while slug in self.slugs:
            slug, n = f"{base}-{n}", n + 1
        self.slugs.add(slug)
        return slug + DEMO_SLUG_MARK

    def circle(self, *, name, family, city, mode, visibility, description, charter, topics, values, creator):
        circle = Circle(
            name=name,
            slug=self.slug(name, visibility == Visibility.UNLISTED),
            description=description,
            charter=charter,
            city=city,
            topics=topics,
            values=values,
            family=family,
            visibility=visibility,
            membership_mode=mode,
            pairing_enabled=self.rng.random() < 0.5,
            pairing_rhythm=self.rng.choice(PairingRhythm.values),
            created_by=creator,
            created_at=self.now - dt.timedelta(days=self.rng.randint(60, 900)),
        )
        circle.search_text = circle_search_text(circle)
        self.circles.append(circle)
        self.rows[circle.slug] = []
        return circle

    def add(self, circle: Circle, user, *, role=Role.MEMBER, status=Status.ACTIVE, sponsor=None, message=""):
        seat = ""
        if circle.membership_mode == MembershipMode.COOPTATION and status == Status.ACTIVE:
            seat = self.profiles[user.pk]["profession_key"]
        remote = status == Status.ACTIVE and self.rng.random() < 0.2
        self.rows[circle.slug].append(
            {
                "member": user,
                "role": role,
                "status": status,
                "sponsor": sponsor,
                "message": message,
                "seat_key": seat,
                "participation": Participation.REMOTE if remote else Participation.ACTIVE,
                "pairing_opt_in": circle.pairing_enabled and status == Status.ACTIVE and self.rng.random() < 0.6,
                "created_at": self.now - dt.timedelta(days=self.rng.randint(1, 400)),
            }
        )

    def fill(self, circle: Circle, pool: list, size: int, *, organizers: int = 1) -> list:
        """Members drawn from the pool; a cooptation circle takes one person per profession."""
        taken = {row["member"].pk for row in self.rows[circle.slug]}
        seats = {row["seat_key"] for row in self.rows[circle.slug] if row["seat_key"]}
        chosen = []
        for user in self.rng.sample(pool, k=len(pool)):
            if len(chosen) >= size:
                break
            if user.pk in taken:
                continue
            if circle.membership_mode == MembershipMode.COOPTATION:
                key = self.profiles[user.pk]["profession_key"]
                if not key or key in seats:
                    continue
                seats.add(key)
            taken.add(user.pk)
            chosen.append(user)
        for index, user in enumerate(chosen):
            role = Role.ORGANIZER if index < organizers else Role.MEMBER
            sponsor = chosen[0] if circle.membership_mode == MembershipMode.COOPTATION and index else None
            self.add(circle, user, role=role, sponsor=sponsor)
        return chosen

    def pending(self, circle: Circle, pool: list, count: int) -> None:
        """Requests (circles on request) or invitations (cooptation) waiting for an answer."""
        taken = {row["member"].pk for row in self.rows[circle.slug]}
        seats = {row["seat_key"] for row in self.rows[circle.slug] if row["seat_key"]}
        candidates = [u for u in pool if u.pk not in taken]
        if circle.membership_mode == MembershipMode.COOPTATION:
            # Invited people whose profession has no seat yet (one invitation per profession).
            free: dict[str, object] = {}
            for user in candidates:
                key = self.profiles[user.pk]["profession_key"]
                if key and key not in seats:
                    free.setdefault(key, user)
            candidates = list(free.values())
        sponsor = next((row["member"] for row in self.rows[circle.slug] if row["role"] == Role.ORGANIZER), None)
        for user in self.rng.sample(candidates, k=min(count, len(candidates))):
            if circle.membership_mode == MembershipMode.REQUEST:
                self.add(circle, user, status=Status.REQUESTED, message=self.rng.choice(REQUEST_MESSAGES))
            elif circle.membership_mode == MembershipMode.COOPTATION:
                self.add(circle, user, status=Status.INVITED, sponsor=sponsor)

    def save(self) -> dict[str, Circle]:
        Circle.objects.bulk_create(self.circles, batch_size=500)
        by_slug = {c.slug: c for c in Circle.objects.filter(slug__in=[c.slug for c in self.circles])}
        Membership.objects.bulk_create(
            [Membership(circle=by_slug[slug], **row) for slug, rows in self.rows.items() for row in rows],
            batch_size=1000,
        )
        return by_slug


def demo_circles_load(*, rng, members) -> None:
    if len(members) < 2:
        return
    with transaction.atomic():
        Circle.objects.filter(slug__endswith=DEMO_SLUG_MARK).delete()
        profiles = {
            p["user_id"]: p
            for p in Profile.objects.filter(user__email__endswith="@" + DEMO_DOMAIN).values(
                "user_id", "city_id", "profession_key"
            )
        }
        camille, others = members[0], [m for m in members[1:] if m.pk in profiles]
        cities = _demo_cities()
        by_city: dict[int | None, list] = defaultdict(list)
        for user in others:
            by_city[profiles[user.pk]["city_id"]].append(user)
        builder = _Builder(rng, members, profiles)
        signature_city = next((c for c in cities if c.name == SIGNATURE_CITY), cities[0] if cities else None)
        _camilles_circles(builder, camille, others, signature_city, by_city)
        family_cycle = itertools.cycle(FAMILIES)
        used_names: set[str] = set()
        for city in cities:
            count = rng.randint(3, 4) - (3 if city == signature_city else 0)
            for _index in range(max(count, 0)):
                family = next(family_cycle)
                _generated_circle(builder, family, city, others, by_city, used_names)
        by_slug = builder.save()
        _camilles_extras(rng, by_slug, camille)


def _pool(by_city, city, others, size: int) -> list:
    """People of the city first, then others to reach the size (circles welcome newcomers)."""
    local = list(by_city.get(city.pk if city else None, []))
    if len(local) >= size * 2:
        return local
    seen = {u.pk for u in local}
    return local + [u for u in others if u.pk not in seen]


def _generated_circle(builder: _Builder, family, city, others, by_city, used_names: set[str]) -> None:
    rng = builder.rng
    options = [t for t in TEMPLATES[family] if t[0].format(city=city.name) not in used_names] or TEMPLATES[family]
    english = [t for t in options if t[1] == "en"]
    builder.generated += 1
    if english and builder.generated % 4 == 1:
        options = english  # an English-speaking circle now and then: the demo is bilingual
    pattern, language, description, topics = rng.choice(options)
    name = pattern.format(city=city.name)
    used_names.add(name)
    mode = rng.choice(MODES_BY_FAMILY.get(family, [MembershipMode.OPEN, MembershipMode.OPEN, MembershipMode.REQUEST]))
    if builder.generated % 6 == 3:
        visibility = Visibility.UNLISTED  # a few circles live by invitation and link only
    else:
        visibility = Visibility.MEMBERS if rng.random() < 0.3 else Visibility.PUBLIC
    charter = rng.choice(CHARTERS_EN if language == "en" else CHARTERS_FR)
    size = rng.randint(6, 28)
    pool = _pool(by_city, city, others, size)
    circle = builder.circle(
        name=name,
        family=family,
        city=city,
        mode=mode,
        visibility=visibility,
        description=description,
        charter=charter,
        topics=topics,
        values=rng.sample(vocab.Value.values, k=rng.randint(2, 4)),
        creator=None,
    )
    chosen = builder.fill(circle, pool, size, organizers=1 if size < 15 else 2)
    if chosen:
        circle.created_by = chosen[0]
    if mode in (MembershipMode.REQUEST, MembershipMode.COOPTATION):
        builder.pending(circle, pool, rng.randint(1, 3))


def _camilles_circles(builder: _Builder, camille, others, city, by_city) -> None:
    """Camille organizes "Growth & Café", sits in the referral club and follows the peer group."""
    growth_marketer = builder.profiles[camille.pk]["profession_key"]
    pool = _pool(by_city, city, others, 30)
    city_name = city.name if city else SIGNATURE_CITY

    club = builder.circle(
        name=REFERRAL_CLUB,
        family=Family.REFERRAL,
        city=city,
        mode=MembershipMode.COOPTATION,
        visibility=Visibility.MEMBERS,
        description=(
            "Le club de recommandation d'affaires du Vieux-Port : vingt métiers, vingt sièges, un "
            "petit-déjeuner chaque mardi et des affaires qui se passent vraiment."
        ),
        charter=REFERRAL_CLUB_CHARTER,
        topics=["recommandation", "petit-déjeuner", "TPE"],
        values=["reliability", "trust", "generosity"],
        creator=None,
    )
    club_pool = [u for u in pool if builder.profiles[u.pk]["profession_key"] != growth_marketer]
    founders = builder.fill(club, club_pool, 1)
    builder.add(club, camille, sponsor=founders[0] if founders else None)
    builder.rows[club.slug][-1]["participation"] = Participation.ACTIVE
    builder.fill(club, club_pool, 16, organizers=0)
    builder.pending(club, club_pool, 2)
    club.created_by = founders[0] if founders else camille

    growth = builder.circle(
        name=f"Growth & Café {city_name}",
        family=Family.TECH,
        city=city,
        mode=MembershipMode.REQUEST,
        visibility=Visibility.PUBLIC,
        description=(
            "Growth marketers, SEO, rédactrices et curieux : un café le jeudi matin pour partager nos "
            "tests, nos chiffres et nos échecs. Sur demande, pour garder des échanges francs."
        ),
        charter=CHARTERS_FR[1],
        topics=["growth marketing", "SEO", "emailing", "analyse de données"],
        values=["openness", "direct_talk", "curiosity", "kindness"],
        creator=camille,
    )
    growth.pairing_enabled = True
    builder.add(growth, camille, role=Role.ORGANIZER)
    builder.rows[growth.slug][-1].update(participation=Participation.ACTIVE, pairing_opt_in=True)
    builder.fill(growth, pool, 14, organizers=1)
    builder.pending(growth, pool, 3)

    peers = builder.circle(
        name="Femmes Entrepreneures Provence",
        family=Family.PEERS,
        city=city,
        mode=MembershipMode.OPEN,
        visibility=Visibility.PUBLIC,
        description=(
            "Fondatrices, indépendantes et dirigeantes de Provence : un cercle de pairs pour s'entraider, "
            "un atelier par trimestre et des binômes marraine / filleule."
        ),
        charter=CHARTERS_FR[2],
        topics=["entrepreneuriat au féminin", "mentorat", "financement"],
        values=["solidarity", "kindness", "inclusion"],
        creator=None,
    )
    organizers = builder.fill(peers, pool, 1)
    peers.created_by = organizers[0] if organizers else None
    builder.add(peers, camille)
    builder.rows[peers.slug][-1]["participation"] = Participation.REMOTE  # she follows it from afar
    builder.fill(peers, pool, 18, organizers=0)


def _camilles_extras(rng, by_slug: dict[str, Circle], camille) -> None:
    """What makes Camille's organizer page alive: mentoring with check-ins, reports, an e-mail invitation."""
    growth = next(c for c in by_slug.values() if c.name.startswith("Growth & Café") and c.created_by_id == camille.pk)
    club = next(c for c in by_slug.values() if c.name == REFERRAL_CLUB)
    members = list(
        Membership.objects.filter(circle=growth, status=Status.ACTIVE).exclude(member=camille).order_by("id")
    )
    today = timezone.localdate()
    if len(members) >= 3:
        pair = MentoringPair.objects.create(
            circle=growth,
            mentor=camille,
            mentee=members[0].member,
            started_on=today - dt.timedelta(days=75),
        )
        MentoringCheckin.objects.bulk_create(
            [
                MentoringCheckin(
                    pair=pair, occurred_on=today - dt.timedelta(days=60), note="Premier café : objectifs."
                ),
                MentoringCheckin(
                    pair=pair, occurred_on=today - dt.timedelta(days=25), note="Relu sa page de vente ensemble."
                ),
            ]
        )
        MentoringPair.objects.create(
            circle=growth, mentor=members[1].member, mentee=members[2].member, started_on=today - dt.timedelta(days=20)
        )
        Report.objects.create(
            circle=growth,
            reporter=members[1].member,
            about="Messages promotionnels répétés après le café de jeudi",
            reason="Trois messages de prospection en une semaine à plusieurs membres, malgré la charte.",
        )
        Report.objects.create(
            circle=growth,
            reporter=members[2].member,
            reported=members[0].member,
            reason="Retards répétés sans prévenir.",
            state=Report.State.RESOLVED,
            resolution="On en a parlé calmement, tout va bien.",
        )
    Invitation.objects.create(
        circle=club,
        inviter=camille,
        email="sophie.garnier@exemple.fr",
        message="Sophie, le club n'a pas encore d'architecte : je pense à toi !",
        created_at=timezone.now() - dt.timedelta(days=rng.randint(1, 10)),
    )
