"""The actions on a member's profile page: connect, report (templates/intros/_member_actions_body.html),
and the "who can introduce me?" link (templates/intros/_paths_link_body.html)."""

from intros.forms import ReportForm, RequestForm
from intros.selectors import relationship_on_page
from people.models import User
from people.profile_sections import ShownMember
from privacy.selectors import Audience


def member_actions_section(viewer: User, shown: ShownMember) -> dict:
    if viewer.pk == shown.user.pk:
        return {"show": False}
    return {
        "show": True,
        "member": shown.user,
        "rel": relationship_on_page(
            viewer, shown.user, audience=shown.audience, viewer_version=shown.viewer_relations_version
        ),
        "request_form": RequestForm(),
        "report_form": ReportForm(),
    }


def paths_link_section(viewer: User, shown: ShownMember) -> dict:
    """For another member one is not connected to."""
    return {"show": viewer.pk != shown.user.pk and shown.audience != Audience.CONNECTION, "member": shown.user}
