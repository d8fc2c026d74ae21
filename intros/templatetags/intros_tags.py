"""The actions on a member's profile page (templates/intros/_member_actions.html)."""

from django import template

from intros.forms import ReportForm, RequestForm
from intros.selectors import are_connected, relationship

register = template.Library()


@register.inclusion_tag("intros/_member_actions_body.html", takes_context=True)
def member_actions(context, member):
    viewer = context["request"].user
    if not viewer.is_authenticated or viewer.pk == member.pk:
        return {"show": False}
    return {
        "show": True,
        "member": member,
        "rel": relationship(viewer, member),
        "request_form": RequestForm(),
        "report_form": ReportForm(),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("intros/_paths_link_body.html", takes_context=True)
def intro_paths_link(context, member):
    """The "who can introduce me?" link on a member's page: for another member one is not connected to."""
    viewer = context["request"].user
    if not viewer.is_authenticated or viewer.pk == member.pk:
        return {"show": False}
    return {"show": not are_connected(viewer, member), "member": member}


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
