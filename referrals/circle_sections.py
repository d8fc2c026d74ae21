"""The referral club's panel on a circle's page (templates/referrals/_circle_panel_body.html)."""

from circles.models import Circle, Membership, Status
from people.models import User
from referrals import selectors


def circle_panel_section(viewer: User, circle: Circle, membership: Membership | None) -> dict:
    """For the active members of a referral club only: the last twelve months at a glance."""
    active = membership is not None and membership.member_id == viewer.pk and membership.status == Status.ACTIVE
    if not active or not selectors.is_referral_club(circle):
        return {"show": False}
    return {"show": True, "circle": circle, "summary": selectors.circle_summary(circle=circle)}
