"""The dashboard of my network: who to reconnect with, this week's goal, health, and pictures."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from network import dashboard as charts
from network import selectors
from network.forms import InteractionForm

DUE_SHOWN = 10
STRONGEST_LINKS_SHOWN = 10


def _dated(isos: list[str], *series: list[int]) -> list[tuple]:
    """Rows (date, n, …) for the text alternatives: the template formats the dates in the reader's language."""
    return list(zip([dt.date.fromisoformat(iso) for iso in isos], *series, strict=True))


def _contact_url_parts() -> tuple[str, str]:
    """The contact page's URL around its id, reversed once for the hundreds of nodes of the map."""
    marker = "987654321"
    prefix, suffix = reverse("network:contact_detail", args=[int(marker)]).split(marker)
    return prefix, suffix


def _map_with_links(network_map: dict) -> tuple[dict, dict]:
    """The map with each contact's page, and its text alternative: the groups and the strongest links."""
    prefix, suffix = _contact_url_parts()
    nodes = [{**node, "url": f"{prefix}{node['id']}{suffix}"} for node in network_map["nodes"]]
    by_id = {node["id"]: node for node in nodes}
    groups: dict[str, list[dict]] = {group: [] for group in network_map["groups"]}
    for node in nodes:
        groups[node["group"]].append(node)
    strongest = [
        {"a": by_id[edge["source"]], "b": by_id[edge["target"]], "weight": edge["weight"]}
        for edge in network_map["edges"][:STRONGEST_LINKS_SHOWN]
    ]
    return {**network_map, "nodes": nodes}, {"groups": list(groups.items()), "strongest": strongest}


def _strings() -> dict:
    """The words the charts draw, in the reader's language."""
    return {
        "interactions": _("Interactions"),
        "given": _("Help given"),
        "received": _("Help received"),
        "contacts": _("Contacts"),
        "other": _("Other"),
        "week_of": _("Week of %(date)s"),
        "shared": _("Shared interactions: %(n)s"),
    }


@login_required
def dashboard(request):
    owner = request.user
    today = timezone.localdate()
    due = list(selectors.contacts_due(owner=owner, today=today)[: DUE_SHOWN + 1])
    health = selectors.network_health(owner=owner, today=today)
    pictures = charts.dashboard_pictures(owner=owner, today=today)
    network_map, map_text = _map_with_links(pictures["map"])
    per_week, help_ = pictures["per_week"], pictures["help"]
    chart_data = {**pictures, "map": network_map, "strings": _strings()}
    context = {
        "due": due[:DUE_SHOWN],
        "due_more": len(due) > DUE_SHOWN,
        "week": selectors.week_progress(owner=owner, today=today),
        "quick_form": InteractionForm(owner=owner),
        "health": health,
        "help": help_,
        "help_months": _dated(help_["months"], help_["given"], help_["received"]),
        "per_week": per_week,
        "per_week_rows": _dated(per_week["weeks"], per_week["counts"]),
        "by_label": pictures["by_label"],
        "by_city": pictures["by_city"],
        "by_sector": pictures["by_sector"],
        "by_circle": pictures["by_circle"],
        "network_map": network_map,
        "map_text": map_text,
        "chart_data": chart_data,
    }
    return render(request, "network/dashboard.html", context)
