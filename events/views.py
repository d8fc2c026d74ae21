"""Thin views of events: authorize (404 for missing and forbidden alike), validate, call one service."""

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from cercle.public_pages import public_page
from circles.vocab import FAMILY_PROS_CONS, Family
from events import selectors, services
from events.forms import CheckinForm, EventForm, MetForm, RsvpForm, default_times
from events.markdown import render_markdown
from events.models import Event, Rsvp, RsvpStatus
from events.vocab import FORMAT_PROS_CONS
from people import vocab
from privacy.selectors import seen_by_organizer


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@login_required
def event_create(request):
    circles = selectors.organized_circles(request.user)
    if not circles.exists():
        raise Http404
    initial = default_times()
    chosen = request.GET.get("circle", "")
    if chosen.isdigit() and circles.filter(pk=int(chosen)).exists():
        initial["circle"] = int(chosen)
    form = EventForm(request.POST or None, circles=circles, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(
                organizer=request.user,
                circle=form.cleaned_data["circle"],
                recurrence=form.cleaned_data.get("recurrence") or "",
                **form.event_fields(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            dates = event.occurrences.count() + 1
            if dates > 1:
                messages.success(request, _("The series is planned: %(count)s dates.") % {"count": dates})
            else:
                messages.success(request, _("The event is planned."))
            return redirect("events:event_detail", event_id=event.pk)
    return render(request, "events/event_form.html", {"form": form, "event": None})


@login_required
def event_edit(request, event_id: int):
    event = selectors.event_for_organizer_or_404(request.user, event_id)
    if event.state == Event.State.CANCELLED:
        raise Http404
    form = EventForm(request.POST or None, instance=event, circles=selectors.organized_circles(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(organizer=request.user, event=event, **form.event_fields())
        except ValidationError as exc:
            event.refresh_from_db()
            form.add_error(None, exc)
        else:
            messages.success(request, _("The event is saved; those who answered are told."))
            return redirect("events:event_detail", event_id=event.pk)
    return render(request, "events/event_form.html", {"form": form, "event": event})


@login_required
def event_cancel(request, event_id: int):
    event = selectors.event_for_organizer_or_404(request.user, event_id)
    if request.method == "POST":
        try:
            services.event_cancel(organizer=request.user, event=event, reason=request.POST.get("reason", ""))
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("The event is cancelled; those who answered are told."))
        return redirect("events:event_detail", event_id=event.pk)
    answered = event.rsvps.filter(status__in=[RsvpStatus.GOING, RsvpStatus.WAITLIST]).count()
    return render(request, "events/event_cancel.html", {"event": event, "answered": answered})


def event_detail(request, event_id: int):
    if not request.user.is_authenticated:
        return public_page(request, "events/event_detail.html", lambda: _event_context(request, event_id))
    return render(request, "events/event_detail.html", _event_context(request, event_id))


def _event_context(request, event_id: int) -> dict:
    """The page's context: what it shows is read by one selector (selectors.event_page); here, only
    the words and the forms."""
    page = selectors.event_page(request.user, event_id)
    event, rsvp = page.event, page.rsvp
    family = event.family or (event.circle.family if event.circle_id else "")
    return {
        "event": event,
        "description_html": render_markdown(event.description),
        "format_pros_cons": FORMAT_PROS_CONS.get(event.format),
        "family": family,
        "family_label": Family(family).label if family in Family.values else "",
        "family_pros_cons": FAMILY_PROS_CONS.get(family),
        "language_name": vocab.label_of(vocab.Language, event.language),
        "seats_left": page.seats_left,
        "rsvp": rsvp,
        "waitlist_position": page.waitlist_position,
        "may_rsvp": page.may_rsvp,
        "is_organizer": page.is_organizer,
        "is_member": page.is_member,
        "ended": page.ended,
        "started": page.started,
        "counts": page.counts,
        "attendees": page.attendees,
        "brief": page.brief,
        "rsvp_form": RsvpForm(initial={"with_guest": bool(rsvp and rsvp.with_guest)}),
        "met_form": MetForm(candidates=page.met_candidates) if page.met_candidates is not None else None,
        "series": page.series,
    }


@require_POST
@login_required
def event_rsvp(request, event_id: int):
    event = selectors.event_for_viewer_or_404(request.user, event_id)
    if not selectors.may_rsvp(request.user, event):
        raise Http404
    form = RsvpForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose going or not going."))
        return redirect("events:event_detail", event_id=event.pk)
    try:
        rsvp = services.rsvp_submit(member=request.user, event=event, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return redirect("events:event_detail", event_id=event.pk)
    if rsvp.status == RsvpStatus.GOING:
        messages.success(request, _("You are going. See you there!"))
    elif rsvp.status == RsvpStatus.WAITLIST:
        messages.info(
            request,
            _("The event is full: you are number %(position)s on the waitlist. A freed seat is yours, in turn.")
            % {"position": selectors.waitlist_position(rsvp)},
        )
    else:
        messages.success(request, _("Thank you for letting the organizers know."))
    return redirect("events:event_detail", event_id=event.pk)


@require_POST
@login_required
def event_met(request, event_id: int):
    event = selectors.event_for_viewer_or_404(request.user, event_id)
    rsvp = selectors.rsvp_of(request.user, event)
    if rsvp is None or rsvp.status != RsvpStatus.GOING:
        raise Http404
    form = MetForm(request.POST, candidates=selectors.met_candidates(request.user, event))
    if not form.is_valid():
        messages.error(request, _("Pick at least one person you met."))
        return redirect("events:event_detail", event_id=event.pk)
    try:
        contacts = services.event_met_record(member=request.user, event=event, met_ids=form.cleaned_data["met"])
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        count = len(contacts)
        text = ngettext(
            "%(count)s person is in your network, with this event as how you met.",
            "%(count)s people are in your network, with this event as how you met.",
            count,
        )
        messages.success(request, text % {"count": count})
    return redirect("events:event_detail", event_id=event.pk)


@login_required
def event_checkin(request, event_id: int):
    event = selectors.event_for_organizer_or_404(request.user, event_id)
    if request.method == "POST":
        form = CheckinForm(request.POST)
        if not form.is_valid():
            raise Http404
        rsvp = Rsvp.objects.select_related("event").filter(pk=form.cleaned_data["rsvp"], event=event).first()
        if rsvp is None:
            raise Http404
        try:
            services.rsvp_check_in(organizer=request.user, rsvp=rsvp, checked_in=not form.cleaned_data["undo"])
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        return redirect(reverse("events:event_checkin", kwargs={"event_id": event.pk}) + f"#rsvp-{rsvp.pk}")
    rows = selectors.checkin_list(event)
    checked = sum(1 for row in rows if row.rsvp.checked_in_at)
    return render(request, "events/checkin_list.html", {"event": event, "rows": rows, "checked": checked})


@login_required
def event_ticket(request, event_id: int):
    event = selectors.event_for_viewer_or_404(request.user, event_id)
    rsvp = selectors.rsvp_of(request.user, event)
    if rsvp is None or rsvp.status != RsvpStatus.GOING:
        raise Http404
    url = request.build_absolute_uri(reverse("events:ticket_checkin", kwargs={"ticket_token": rsvp.ticket_token}))
    qr = segno.make(url, error="m").svg_data_uri(scale=6, border=2)
    return render(request, "events/ticket.html", {"event": event, "rsvp": rsvp, "qr": qr, "checkin_url": url})


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def ticket_checkin(request, ticket_token: str):
    """The URL in a ticket's QR code, for the organizers of the event's circle (404 for anyone else):
    opening it shows who and for which event; the "Check in" button (a POST) checks them in, within
    the check-in window. Opening a link never changes anything."""
    rsvp = selectors.rsvp_by_ticket_or_404(request.user, ticket_token)
    event = rsvp.event
    valid = rsvp.status == RsvpStatus.GOING and event.state == Event.State.SCHEDULED
    error = ""
    if request.method == "POST":
        if not valid:
            error = _("This ticket is not valid: nobody was checked in.")
        else:
            try:
                services.rsvp_check_in(organizer=request.user, rsvp=rsvp)
            except ValidationError as exc:
                error = _error_text(exc)
            else:
                return redirect("events:ticket_checkin", ticket_token=rsvp.ticket_token)
    context = {
        "rsvp": rsvp,
        "event": event,
        "who": seen_by_organizer(rsvp.member.profile),
        "valid": valid,
        "window": selectors.checkin_window(event),
        "error": error,
    }
    return render(request, "events/ticket_checkin.html", context, status=400 if error else 200)
