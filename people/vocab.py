"""Translatable vocabularies of a profile: professions, sectors, values, formats, languages.

Codes are stored; labels are translated when shown. A member may also type a
free profession or value: `profession_key` normalises it so that referral clubs
can hold "one seat per profession" whatever the spelling.
"""

import functools

from django.db import models
from django.utils.translation import gettext_lazy as _

from places.text import fold


class Profession(models.TextChoices):
    ACCOUNTANT = "accountant", _("Accountant")
    ARCHITECT = "architect", _("Architect")
    BANKER = "banker", _("Banker")
    BUSINESS_COACH = "business_coach", _("Business coach")
    CATERER = "caterer", _("Caterer")
    COMMUNITY_MANAGER = "community_manager", _("Community manager")
    CONSULTANT = "consultant", _("Management consultant")
    DATA_SCIENTIST = "data_scientist", _("Data scientist")
    DENTIST = "dentist", _("Dentist")
    ELECTRICIAN = "electrician", _("Electrician")
    EVENT_PLANNER = "event_planner", _("Event planner")
    FINANCIAL_ADVISOR = "financial_advisor", _("Financial advisor")
    FLORIST = "florist", _("Florist")
    GRAPHIC_DESIGNER = "graphic_designer", _("Graphic designer")
    GROWTH_MARKETER = "growth_marketer", _("Growth marketer")
    HR_CONSULTANT = "hr_consultant", _("HR consultant")
    INSURANCE_BROKER = "insurance_broker", _("Insurance broker")
    INTERIOR_DESIGNER = "interior_designer", _("Interior designer")
    JOURNALIST = "journalist", _("Journalist")
    LAWYER = "lawyer", _("Lawyer")
    MARKETING_CONSULTANT = "marketing_consultant", _("Marketing consultant")
    NOTARY = "notary", _("Notary")
    OSTEOPATH = "osteopath", _("Osteopath")
    PHARMACIST = "pharmacist", _("Pharmacist")
    PHOTOGRAPHER = "photographer", _("Photographer")
    PHYSIOTHERAPIST = "physiotherapist", _("Physiotherapist")
    PLUMBER = "plumber", _("Plumber")
    PRINTER = "printer", _("Printer")
    PRODUCT_MANAGER = "product_manager", _("Product manager")
    REAL_ESTATE_AGENT = "real_estate_agent", _("Real estate agent")
    RECRUITER = "recruiter", _("Recruiter")
    SALES_REPRESENTATIVE = "sales_representative", _("Sales representative")
    SOFTWARE_ENGINEER = "software_engineer", _("Software engineer")
    STARTUP_FOUNDER = "startup_founder", _("Startup founder")
    TRAINER = "trainer", _("Trainer")
    TRANSLATOR = "translator", _("Translator")
    UX_DESIGNER = "ux_designer", _("UX designer")
    WEB_DEVELOPER = "web_developer", _("Web developer")
    WINE_MERCHANT = "wine_merchant", _("Wine merchant")
    OTHER = "other", _("Other (type it)")


class Sector(models.TextChoices):
    AGRIFOOD = "agrifood", _("Agriculture and food")
    ARTS = "arts", _("Arts and culture")
    CONSTRUCTION = "construction", _("Construction and real estate")
    CONSULTING = "consulting", _("Consulting")
    EDUCATION = "education", _("Education and training")
    ENERGY = "energy", _("Energy and environment")
    FINANCE = "finance", _("Banking, finance and insurance")
    HEALTH = "health", _("Health")
    HOSPITALITY = "hospitality", _("Hospitality and tourism")
    INDUSTRY = "industry", _("Industry")
    LAW = "law", _("Law")
    MEDIA = "media", _("Media and communication")
    NONPROFIT = "nonprofit", _("Non-profit and social economy")
    PUBLIC = "public", _("Public sector")
    RETAIL = "retail", _("Retail and crafts")
    TECH = "tech", _("Technology and software")
    TRANSPORT = "transport", _("Transport and logistics")


class Value(models.TextChoices):
    AMBITION = "ambition", _("Ambition")
    AUTHENTICITY = "authenticity", _("Authenticity")
    COLLABORATIVE = "collaborative", _("Collaborative")
    CREATIVITY = "creativity", _("Creativity")
    CURIOSITY = "curiosity", _("Curiosity")
    DIRECT_TALK = "direct_talk", _("Direct talk")
    GENEROSITY = "generosity", _("Generosity")
    HUMILITY = "humility", _("Humility")
    INCLUSION = "inclusion", _("Inclusion")
    KINDNESS = "kindness", _("Kindness")
    OPENNESS = "openness", _("Openness")
    RELIABILITY = "reliability", _("Reliability")
    SOLIDARITY = "solidarity", _("Solidarity")
    SUSTAINABILITY = "sustainability", _("Sustainability")
    TRUST = "trust", _("Trust")


class Format(models.TextChoices):
    BREAKFAST = "breakfast", _("Breakfast")
    LUNCH = "lunch", _("Lunch")
    AFTER_WORK = "after_work", _("After-work")
    EVENING = "evening", _("Evening")
    SATURDAY_CAMP = "saturday_camp", _("Saturday camp")


class Language(models.TextChoices):
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")
    SPANISH = "es", _("Spanish")
    GERMAN = "de", _("German")
    ITALIAN = "it", _("Italian")
    PORTUGUESE = "pt", _("Portuguese")
    ARABIC = "ar", _("Arabic")
    BRETON = "br", _("Breton")
    CHINESE = "zh", _("Chinese")
    DUTCH = "nl", _("Dutch")
    OCCITAN = "oc", _("Occitan")


def _known_labels(choices: type[models.TextChoices]) -> dict[str, str]:
    """Folded label in every UI language -> code, so typed text maps to the list."""
    from django.utils import translation

    mapping: dict[str, str] = {}
    for lang in ("en", "fr"):
        with translation.override(lang):
            for code, label in choices.choices:
                mapping[fold(str(label))] = code
    return mapping


def profession_key(code: str, other: str) -> str:
    """One key per profession, whatever the spelling: the referral clubs' seat."""
    if code and code != Profession.OTHER:
        return code
    folded = fold(other)
    if not folded:
        return ""
    return _known_labels(Profession).get(folded, f"other:{folded}")


def normalize_values(items: list[str]) -> list[str]:
    """Known values become their code; free values are kept as typed (trimmed, deduplicated)."""
    known = _known_labels(Value)
    result: list[str] = []
    for item in items:
        text = " ".join(str(item).split())
        if not text:
            continue
        code = text if text in Value.values else known.get(fold(text), text)
        if code not in result:
            result.append(code)
    return result


@functools.cache
def _codes(choices: type[models.TextChoices]) -> frozenset[str]:
    # `choices.values` rebuilds a list on every access: hundreds of times per search page.
    return frozenset(choices.values)


def value_label(code: str) -> str:
    return str(Value(code).label) if code in _codes(Value) else code


def label_of(choices: type[models.TextChoices], code: str) -> str:
    return str(choices(code).label) if code in _codes(choices) else code
