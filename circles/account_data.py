"""Circles in the account export, and in the demo data."""

from django.db.models import Q

from circles.models import Circle, Invitation, Membership, MentoringPair, Report
from people.demo import register_demo_step
from people.selectors import register_export_section


def export_circles(user) -> dict:
    """What Cercle holds about this member's circles — their own records, not other members' data."""
    return {
        "memberships": [
            {
                "circle": m.circle.name,
                "circle_slug": m.circle.slug,
                "role": m.role,
                "status": m.status,
                "participation": m.participation,
                "pairing_opt_in": m.pairing_opt_in,
                "seat": m.seat_key,
                "message": m.message,
                "answer": m.answer,
                "invited_by_member_id": m.sponsor_id,
                "created_at": m.created_at.isoformat(),
                "updated_at": m.updated_at.isoformat(),
            }
            for m in Membership.objects.filter(member=user).select_related("circle").order_by("created_at", "id")
        ],
        "circles_created": [
            {"name": c.name, "slug": c.slug, "created_at": c.created_at.isoformat()}
            for c in Circle.objects.filter(created_by=user).order_by("created_at", "id")
        ],
        "invitations_sent": [
            {
                "circle": i.circle.name,
                "email": i.email,
                "message": i.message,
                "created_at": i.created_at.isoformat(),
                "used": i.used_at is not None,
            }
            for i in Invitation.objects.filter(inviter=user).select_related("circle").order_by("created_at", "id")
        ]
        + [
            {
                "circle": m.circle.name,
                "member_id": m.member_id,
                "message": m.message,
                "created_at": m.created_at.isoformat(),
                "status": m.status,
            }
            for m in Membership.objects.filter(sponsor=user).exclude(member=user).select_related("circle")
        ],
        "reports_filed": [
            {
                "circle": r.circle.name if r.circle_id else None,
                "reported_member_id": r.reported_id,
                "about": r.about,
                "reason": r.reason,
                "state": r.state,
                "resolution": r.resolution,
                "created_at": r.created_at.isoformat(),
            }
            for r in Report.objects.filter(reporter=user).select_related("circle").order_by("created_at", "id")
        ],
        "mentoring": [
            {
                "circle": p.circle.name,
                "role": "mentor" if p.mentor_id == user.pk else "mentee",
                "other_member_id": p.mentee_id if p.mentor_id == user.pk else p.mentor_id,
                "started_on": p.started_on.isoformat(),
                "active": p.active,
                "checkins": [{"date": c.occurred_on.isoformat(), "note": c.note} for c in p.checkins.all()],
            }
            for p in MentoringPair.objects.filter(Q(mentor=user) | Q(mentee=user))
            .select_related("circle")
            .prefetch_related("checkins")
            .order_by("started_on", "id")
        ],
    }


def demo_circles(rng, members) -> None:
    from circles.demo import demo_circles_load

    demo_circles_load(rng=rng, members=members)


register_export_section("circles", export_circles)
register_demo_step("circles", demo_circles)
