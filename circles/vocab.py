"""Families of circles and events, with their honest pros and cons (shown to help people choose)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Family(models.TextChoices):
    BUSINESS = "business", _("Business networking")
    BLOGGERS = "bloggers", _("Bloggers and creators")
    LAUNCHES = "launches", _("Launches and promotional events")
    TECH = "tech", _("Tech and common interests")
    PEERS = "peers", _("Peer groups")
    REFERRAL = "referral", _("Referral club")


FAMILY_PROS_CONS = {
    Family.BUSINESS: (
        _("Many cards exchanged; good for meeting many people quickly."),
        _("Harder when you have nothing to sell; conversations can stay superficial."),
    ),
    Family.BLOGGERS: (
        _("Fun, creative and generous with visibility."),
        _("Groups that already know each other: it takes time to find your place."),
    ),
    Family.LAUNCHES: (
        _("A product and a place to discover, often in a nice setting."),
        _("Fewer real conversations: people come for the show."),
    ),
    Family.TECH: (
        _("A shared topic makes the first words easy."),
        _("The talk can stay technical; fewer business opportunities."),
    ),
    Family.PEERS: (
        _("Trust and sincere exchanges between people who share a situation."),
        _("A narrower circle: less diversity of profiles."),
    ),
    Family.REFERRAL: (
        _("Concrete business: members pass each other qualified leads."),
        _("Commitment expected (attendance, referrals); one seat per profession."),
    ),
}
