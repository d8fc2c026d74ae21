"""Referrals in templates: money and rates in the reader's language. Formatting only: the panel on
a referral club's page is built by referrals/circle_sections.py, and whether the circles' menu
offers "My referrals" comes from referrals/context_processors.py."""

from django import template

from referrals import formatting

register = template.Library()


@register.filter
def euros(amount):
    return formatting.euros(amount)


@register.filter
def percent(ratio):
    return formatting.percent(ratio)
