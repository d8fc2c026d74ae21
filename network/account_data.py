"""My network's part of the account export, and of the demo data."""

from network.models import Contact, Interaction, ReviewDecision
from people.demo import register_demo_step
from people.selectors import register_export_section


def export_network(user) -> dict:
    from network.services import rhythm_of

    rhythm = rhythm_of(user)
    return {
        "contacts": [
            {
                "id": c.pk,
                "full_name": c.full_name,
                "emails": c.emails,
                "phones": c.phones,
                "company": c.company,
                "position": c.position,
                "city": c.city,
                "sector": c.sector,
                "how_met": c.how_met,
                "why": c.why,
                "met_on": c.met_on.isoformat() if c.met_on else None,
                "labels": c.labels,
                "cadence_days": c.cadence_days,
                "notes": c.notes,
                "linkedin_url": c.linkedin_url,
                "source": c.source,
                "member_id": c.member_id,
                "archived": c.archived,
                "last_interaction_on": c.last_interaction_on.isoformat() if c.last_interaction_on else None,
                "snoozed_until": c.snoozed_until.isoformat() if c.snoozed_until else None,
            }
            for c in Contact.objects.filter(owner=user).order_by("id")
        ],
        "interactions": [
            {
                "id": i.pk,
                "occurred_on": i.occurred_on.isoformat(),
                "kind": i.kind,
                "note": i.note,
                "contact_ids": sorted(c.pk for c in i.contacts.all()),
            }
            for i in Interaction.objects.filter(owner=user).prefetch_related("contacts").order_by("id")
        ],
        "rhythm": {"weekly_goal": rhythm.weekly_goal, "goal_kinds": rhythm.goal_kinds},
        "review": [
            {
                "contact_id": d.contact_id,
                "round": d.round,
                "decision": d.decision,
                "decided_at": d.decided_at.isoformat(),
            }
            for d in ReviewDecision.objects.filter(owner=user).order_by("id")
        ],
    }


def demo_network(rng, members) -> None:
    from network.demo import demo_network_load

    demo_network_load(rng=rng, members=members)


register_export_section("network", export_network)
register_demo_step("network", demo_network)
