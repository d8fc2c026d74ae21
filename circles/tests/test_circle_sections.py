"""The panels that apps above circles add to a circle's page through circles.circle_sections."""

import pytest
from django.urls import reverse

from circles import circle_sections
from circles.models import Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def a_panel(monkeypatch, tmp_path, settings):
    """A section registered the way a higher app does in its AppConfig.ready."""
    (tmp_path / "panel.html").write_text("<p>Panel for {{ name }}</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    monkeypatch.setattr(circle_sections, "CIRCLE_SECTIONS", {})
    seen = []

    def context(viewer, circle, membership):
        seen.append(membership)
        active = membership is not None and membership.status == Status.ACTIVE
        return {"show": active, "name": viewer.profile.display_name}

    circle_sections.register_circle_section("panel", template="panel.html", context=context)
    return seen


def test_a_registered_section_is_built_with_the_viewers_membership(client, world, member, stranger, a_panel):
    circle = world["public"]
    client.force_login(member)
    page = client.get(reverse("circles:detail", args=[circle.slug])).content.decode()
    assert a_panel[-1].member_id == member.pk
    client.force_login(stranger)
    other = client.get(reverse("circles:detail", args=[circle.slug])).content.decode()
    assert a_panel[-1] is None
    client.logout()
    anonymous = client.get(reverse("circles:detail", args=[circle.slug])).content.decode()
    assert len(a_panel) == 2  # not built for anonymous visitors
    assert "Panel for Marc Leroy" in page and "Panel for" not in other and "Panel for" not in anonymous
