"""The actions on a member's profile page (templates/intros/_member_actions.html)."""

from django import template

from intros.forms import ReportForm, RequestForm
from intros.selectors import relationship

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
