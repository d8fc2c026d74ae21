"""Normalized terms: skills, learning wishes, interests and values compared as meanings, not strings.

"Levées de fonds", "levee de fond" and "Fundraising" all become "fundraising"; "Dév" becomes
"development". A term is folded (lower case, accents and ligatures removed, punctuation and
hyphens turned into spaces), each word loses a simple plural, then a small FR/EN synonym table
maps known phrases to one canonical English label. Canonical labels are stable keys: the Django
side translates them when it shows a reason.
"""

import re
import unicodedata
from collections.abc import Hashable, Iterable, Mapping
from typing import Generic, TypeVar

# Characters NFKD does not decompose into a letter plus an accent.
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o", "ł": "l", "đ": "d"})
# Keep letters, digits, "+" and "#" (c++, c#); every other character separates words.
_SEPARATORS = re.compile(r"[^0-9a-z+#]+")

# Words whose final s or x is not a plural (or whose singular would read worse).
_INVARIABLE = frozenset(
    {
        "alors", "analytics", "atlas", "aws", "canvas", "chaos", "cms", "corps", "css", "dans", "deux",
        "devops", "fois", "gps", "ios", "kubernetes", "kudos", "mais", "news", "pays", "plus", "prix", "saas",
        "sans", "temps", "vers", "voix",
    }
)  # fmt: skip
_MIN_PLURAL_LENGTH = 4  # "ux", "bus", "des": too short to tell a plural

# Canonical label -> aliases (French and English). The label itself is always an alias.
SYNONYMS: Mapping[str, tuple[str, ...]] = {
    "growth marketing": ("growth hacking", "growth hacker", "marketing de croissance"),
    "development": ("dev", "dév", "développement", "software development", "développement logiciel",
                    "programming", "programmation", "coding"),
    "web development": ("développement web", "dev web", "dév web", "web dev", "développement de sites web"),
    "public speaking": ("prise de parole", "prise de parole en public", "art oratoire", "éloquence", "speaking"),
    "fundraising": ("levée de fonds", "lever des fonds", "fund raising", "financement participatif"),
    "seo": ("référencement naturel", "référencement", "search engine optimization", "search engine optimisation"),
    "accounting": ("comptabilité", "compta", "bookkeeping", "expertise comptable"),
    "user experience": ("ux", "expérience utilisateur", "ux design", "design ux", "user experience design"),
    "user interface design": ("ui", "ui design", "interface utilisateur", "design d'interface"),
    "artificial intelligence": ("ia", "ai", "intelligence artificielle"),
    "machine learning": ("apprentissage automatique", "ml"),
    "data analysis": ("analyse de données", "data analytics", "analytics"),
    "project management": ("gestion de projet", "pilotage de projet", "conduite de projet"),
    "product management": ("gestion de produit", "product owner"),
    "sales": ("vente", "commercial", "développement commercial", "business development", "biz dev"),
    "negotiation": ("négociation",),
    "team management": ("management d'équipe", "gestion d'équipe", "management"),
    "social media": ("réseaux sociaux", "médias sociaux", "community management"),
    "content marketing": ("marketing de contenu", "copywriting", "rédaction web"),
    "branding": ("image de marque", "identité de marque", "brand identity"),
    "graphic design": ("design graphique", "graphisme"),
    "photography": ("photographie",),
    "law": ("droit", "juridique", "legal"),
    "taxation": ("fiscalité", "tax"),
    "human resources": ("ressources humaines", "rh", "hr"),
    "recruitment": ("recrutement", "recruiting", "hiring"),
    "entrepreneurship": ("entrepreneuriat", "entreprenariat", "création d'entreprise"),
    "mentoring": ("mentorat",),
    "training": ("formation",),
    "e-commerce": ("ecommerce", "commerce en ligne", "vente en ligne"),
    "cybersecurity": ("cybersécurité", "sécurité informatique"),
    "sustainability": ("développement durable", "rse", "csr"),
    "no-code": ("nocode",),
    "climbing": ("escalade",),
    "running": ("course à pied", "jogging"),
    "cycling": ("vélo", "cyclisme"),
    "hiking": ("randonnée", "rando"),
    "cooking": ("cuisine",),
    "wine": ("vin", "oenologie", "œnologie"),
    "reading": ("lecture",),
    "music": ("musique",),
    "sailing": ("voile",),
    "english": ("anglais",),
}  # fmt: skip

# French wordings of the profile's value codes (people.vocab.Value), for values typed freely.
VALUE_SYNONYMS: Mapping[str, tuple[str, ...]] = {
    "openness": ("ouverture", "ouverture d'esprit", "open mindedness"),
    "direct_talk": ("franc parler", "franchise", "parler vrai"),
    "kindness": ("bienveillance", "gentillesse"),
    "generosity": ("générosité",),
    "humility": ("humilité",),
    "trust": ("confiance",),
    "reliability": ("fiabilité",),
    "curiosity": ("curiosité",),
    "creativity": ("créativité",),
    "sustainability": ("durabilité", "écologie"),
    "collaborative": ("collaboration", "coopération", "esprit d'équipe"),
}


def fold(text: str) -> str:
    """'  Prise-de-Parole (en PUBLIC) ' -> 'prise de parole en public'."""
    decomposed = unicodedata.normalize("NFKD", (text or "").translate(_LIGATURES))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return " ".join(_SEPARATORS.split(stripped)).strip()


def singular(word: str) -> str:
    """A simple French/English singular: 'réseaux' and 'reseau' meet; unsure cases are left alone."""
    if len(word) < _MIN_PLURAL_LENGTH or word in _INVARIABLE:
        return word
    if word.endswith(("eaux", "eux")):
        return word[:-1]  # réseaux -> réseau, jeux -> jeu
    if word.endswith("aux"):
        return word[:-3] + "al"  # sociaux -> social, locaux -> local
    if word.endswith("ies"):
        return word[:-3] + "y"  # strategies -> strategy (the French "stratégies" folds the same way)
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]  # "ss", "us", "is": business, campus, analysis are not plurals
    return word


def _words(text: str) -> str:
    return " ".join(singular(word) for word in fold(text).split())


def _alias_table(table: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    aliases: dict[str, str] = {}
    for canonical, others in table.items():
        for alias in (canonical, *others):
            aliases[_words(alias)] = canonical
    return aliases


_TERM_ALIASES = _alias_table(SYNONYMS)
_VALUE_ALIASES = {key.replace(" ", "_"): code for key, code in _alias_table(VALUE_SYNONYMS).items()}


def normalize_term(text: str) -> str:
    """The canonical form of a skill, wish or interest; '' when nothing is left."""
    words = _words(text)
    return _TERM_ALIASES.get(words, words)


def normalize_value(text: str) -> str:
    """The key of a value: a profile code ('direct_talk') or typed words joined the same way."""
    key = _words(text).replace(" ", "_")
    return _VALUE_ALIASES.get(key, key)


def normalize_terms(texts: Iterable[str]) -> list[str]:
    """Canonical terms, first occurrence kept, empties dropped."""
    return list(dict.fromkeys(term for term in map(normalize_term, texts) if term))


def normalize_values(texts: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(key for key in map(normalize_value, texts) if key))


Key = TypeVar("Key", bound=Hashable)


class Vocabulary(Generic[Key]):
    """Canonical term (or any key) <-> integer id, ids given in order of first appearance."""

    def __init__(self, terms: Iterable[Key] = ()) -> None:
        self.terms: list[Key] = []
        self._ids: dict[Key, int] = {}
        for term in terms:
            self.add(term)

    def __len__(self) -> int:
        return len(self.terms)

    def __contains__(self, term: object) -> bool:
        return term in self._ids

    def add(self, term: Key) -> int:
        term_id = self._ids.get(term)
        if term_id is None:
            term_id = self._ids[term] = len(self.terms)
            self.terms.append(term)
        return term_id

    def id_of(self, term: Key) -> int | None:
        return self._ids.get(term)

    def ids(self, terms: Iterable[Key], *, grow: bool = True) -> list[int]:
        """Ids of already-normalized terms; unknown terms are added (or skipped when grow=False)."""
        if grow:
            return [self.add(term) for term in terms]
        return [term_id for term in terms if (term_id := self._ids.get(term)) is not None]
