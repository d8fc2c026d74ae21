"""The actions on a member's profile page: connect, report (templates/intros/_member_actions_body.html),
and the "who can introduce me?" link (templates/intros/_paths_link_body.html)."""

from intros.forms import ReportForm, RequestForm
from intros.selectors import are_connected, relationship
from people.models import User


def member_actions_section(viewer: User, member: User) -> dict:
    if viewer.pk == member.pk:
        return {"show": False}
    return {
        "show": True,
        "member": member,
        "rel": relationship(viewer, member),
        "request_form": RequestForm(),
        "report_form": ReportForm(),
    }


def paths_link_section(viewer: User, member: User) -> dict:
    """For another member one is not connected to."""
    return {"show": viewer.pk != member.pk and not are_connected(viewer, member), "member": member}
