"""Referrals in templates: money and rates in the reader's language, the panel on a referral
club's page (templates/referrals/_circle_panel.html) and the "My referrals" link."""

from django import template

from referrals import formatting, selectors

register = template.Library()


@register.filter
def euros(amount):
    return formatting.euros(amount)


@register.filter
def percent(ratio):
    return formatting.percent(ratio)


@register.inclusion_tag("referrals/_circle_panel_body.html", takes_context=True)
def referrals_circle_panel(context, circle):
    """For the active members of a referral club only: the last twelve months at a glance."""
    viewer = context["request"].user
    if not selectors.is_referral_club(circle) or not selectors.is_active_member(circle=circle, user=viewer):
        return {"show": False}
    return {"show": True, "circle": circle, "summary": selectors.circle_summary(circle=circle)}


@register.simple_tag(takes_context=True)
def shows_referrals(context) -> bool:
    request = context.get("request")
    return bool(request) and selectors.shows_referrals(request.user)
