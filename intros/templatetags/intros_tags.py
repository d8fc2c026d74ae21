"""The "ask a mutual for an introduction" action on a suggestion card: it only reads what the page
put in its context."""

from django import template

register = template.Library()


@register.inclusion_tag("intros/_card_ask.html", takes_context=True)
def ask_mutual_action(context, seen):
    """The "ask a mutual for an introduction" action on a suggestion card (`seen`: the suggested member as the
    viewer sees them). The page puts `intro_mutuals` (intros.selectors.strongest_mutuals) and
    `intro_asked_ids` in its context; without a mutual connection, nothing is shown."""
    from intros.forms import ASK_REASON_PREFILL

    mutual = (context.get("intro_mutuals") or {}).get(seen.user_id)
    if mutual is None:
        return {"show": False}
    return {
        "show": True,
        "mutual": mutual,
        "ask_target": seen,
        "asked": seen.user_id in (context.get("intro_asked_ids") or ()),
        "prefill": ASK_REASON_PREFILL,
        "form_id": f"card-{seen.user_id}",
        "next": context["request"].get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
