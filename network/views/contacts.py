"""Contacts, interactions, rhythm, ledger and review: thin views over network.services/selectors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from network import selectors, services
from network.drafts import draft_for
from network.forms import ContactForm, ContactInteractionForm, ContactSearchForm, InteractionForm, RhythmForm
from network.models import InteractionKind, ReviewDecision
from people.selectors import profile_of


@login_required
def contact_list(request):
    form = ContactSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {"q": "", "label": "", "archived": False}
    contacts = selectors.contacts_search(
        owner=request.user, query=data["q"], label=data["label"], archived=data["archived"]
    )
    if request.GET.get("picker"):
        # The quick-add form's suggestions: a few names to tick.
        who = request.GET.get("who", "").strip()[:100]
        found = selectors.contacts_search(owner=request.user, query=who)[:8] if who else []
        return render(request, "network/_contact_picker.html", {"contacts": found})
    page = Paginator(contacts, 50).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "query": data["q"], "label": data["label"], "archived": data["archived"]}
    template = "network/_contact_results.html" if request.htmx else "network/contact_list.html"
    return render(request, template, context)


@login_required
def contact_create(request):
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            contact = services.contact_create(owner=request.user, **form.contact_fields())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("%(name)s is in your network.") % {"name": contact.full_name})
            return redirect("network:contact_detail", contact_id=contact.pk)
    return render(request, "network/contact_form.html", {"form": form, "contact": None})


@login_required
def contact_edit(request, contact_id: int):
    contact = selectors.contact_of(request.user, contact_id)
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_update(contact=contact, **form.contact_fields())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The contact is saved."))
            return redirect("network:contact_detail", contact_id=contact.pk)
    return render(request, "network/contact_form.html", {"form": form, "contact": contact})


@login_required
def contact_detail(request, contact_id: int):
    contact = selectors.contact_of(request.user, contact_id)
    form = ContactInteractionForm(request.POST or None, initial={"occurred_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.interaction_log(owner=request.user, contacts=[contact], **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Logged. The keep-in-touch clock starts again."))
            return redirect("network:contact_detail", contact_id=contact.pk)
    interactions = contact.interactions.prefetch_related("contacts").order_by("-occurred_on", "-id")
    given = sum(1 for i in interactions if i.kind == InteractionKind.HELP_GIVEN)
    received = sum(1 for i in interactions if i.kind == InteractionKind.HELP_RECEIVED)
    return render(
        request,
        "network/contact_detail.html",
        {"contact": contact, "form": form, "interactions": interactions, "given": given, "received": received},
    )


def _back(request, default: str):
    """Back where the action came from (the dashboard, the due list, the contact page)."""
    target = request.POST.get("next", "")
    from django.utils.http import url_has_allowed_host_and_scheme

    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(default)


def _due_fragment(request):
    return render(request, "network/_due_list.html", {"due": selectors.contacts_due(owner=request.user)[:10]})


@login_required
@require_POST
def contact_archive(request, contact_id: int):
    contact = selectors.contact_of(request.user, contact_id)
    services.contact_set_archived(contact=contact, archived=not contact.archived)
    if contact.archived:
        messages.success(request, _("%(name)s is archived.") % {"name": contact.full_name})
    else:
        messages.success(request, _("%(name)s is back in your network.") % {"name": contact.full_name})
    return _back(request, "network:contact_list")


@login_required
@require_POST
def contact_snooze(request, contact_id: int):
    services.contact_snooze(contact=selectors.contact_of(request.user, contact_id))
    return _due_fragment(request) if request.htmx else _back(request, "network:dashboard")


@login_required
@require_POST
def contact_no_cadence(request, contact_id: int):
    services.contact_set_cadence(contact=selectors.contact_of(request.user, contact_id), days=None)
    return _due_fragment(request) if request.htmx else _back(request, "network:dashboard")


@login_required
@require_POST
def contact_quick_log(request, contact_id: int):
    """One click from the due list: "log a coffee" today."""
    contact = selectors.contact_of(request.user, contact_id)
    kind = request.POST.get("kind", InteractionKind.COFFEE)
    try:
        services.interaction_log(owner=request.user, contacts=[contact], kind=kind)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if not request.htmx:
            messages.success(request, _("Logged. The keep-in-touch clock starts again."))
    if request.htmx:
        return _due_fragment(request)
    return _back(request, "network:dashboard")


@login_required
def contact_draft(request, contact_id: int):
    contact = selectors.contact_of(request.user, contact_id)
    draft = draft_for(
        contact=contact,
        last=selectors.last_interaction_with(contact),
        sender_name=profile_of(request.user).display_name,
    )
    template = "network/_draft.html" if request.htmx else "network/draft.html"
    return render(request, template, {"contact": contact, "draft": draft})


@login_required
@require_POST
def interaction_create(request):
    form = InteractionForm(request.POST, owner=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.interaction_log(
                owner=request.user,
                contacts=data["contacts"],
                kind=data["kind"],
                occurred_on=data["occurred_on"],
                note=data["note"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if request.htmx:
                response = render(
                    request,
                    "network/_quick_add.html",
                    {"quick_form": InteractionForm(owner=request.user), "logged": True},
                )
                response["HX-Trigger"] = "interaction-logged"
                return response
            messages.success(request, _("Logged. The keep-in-touch clock starts again."))
            return _back(request, "network:dashboard")
    if request.htmx:
        return render(request, "network/_quick_add.html", {"quick_form": form})
    return render(request, "network/interaction_form.html", {"quick_form": form})


@login_required
@require_POST
def interaction_delete(request, interaction_id: int):
    services.interaction_delete(interaction=selectors.interaction_of(request.user, interaction_id))
    messages.success(request, _("The interaction is deleted."))
    return _back(request, "network:dashboard")


@login_required
def due_list(request):
    due = selectors.contacts_due(owner=request.user)
    page = Paginator(due, 50).get_page(request.GET.get("page"))
    return render(request, "network/due.html", {"page": page, "due": page.object_list})


@login_required
def rhythm_edit(request):
    rhythm = services.rhythm_of(request.user)
    form = RhythmForm(
        request.POST or None, initial={"weekly_goal": rhythm.weekly_goal, "goal_kinds": rhythm.goal_kinds}
    )
    if request.method == "POST" and form.is_valid():
        services.rhythm_update(owner=request.user, **form.cleaned_data)
        messages.success(request, _("Your weekly goal is saved."))
        return redirect("network:dashboard")
    return render(request, "network/rhythm_form.html", {"form": form})


@login_required
def ledger_view(request):
    totals, lines = selectors.ledger(owner=request.user)
    only_received = [line for line in lines if line.one_way == "received"]
    return render(request, "network/ledger.html", {"totals": totals, "lines": lines, "only_received": only_received})


@login_required
def review(request):
    """The yearly review, one card at a time; answers are saved, so it can be left and resumed."""
    round_ = timezone.localdate().year
    if request.method == "POST":
        contact_id = request.POST.get("contact", "")
        if not (contact_id.isascii() and contact_id.isdigit()):  # "²".isdigit() is True, int("²") fails
            raise Http404
        contact = selectors.contact_of(request.user, int(contact_id))
        decision = request.POST.get("decision", "")
        if decision in ReviewDecision.Decision.values:
            services.review_decide(owner=request.user, contact=contact, decision=decision, round=round_)
        return redirect("network:review")
    state = selectors.review_state(owner=request.user, round=round_)
    last = selectors.last_interaction_with(state.contact) if state.contact else None
    return render(request, "network/review.html", {"state": state, "last": last, "round": round_})
