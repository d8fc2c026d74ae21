"""Connection requests, connections and blocks: thin views over intros.services.

A request is reached only through its recipient (answers) or its sender (withdraw): any other id
is the same 404 as a missing one. A member's page is reached only when the privacy selector
allows it, so a block (either way) is a 404 too.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cercle.flash import flash_errors
from intros import selectors, services
from intros.forms import ASK_REASON_PREFILL, AskForm, AskIntroduceForm, IntroductionForm, ReportForm, RequestForm
from people.models import User
from people.selectors import active_member_or_404
from privacy.selectors import Audience, profile_as_seen, seen_by, visible_profile


def _member_or_404(request, user_id: int):
    """Another member the viewer may see (not blocked either way, discoverable)."""
    member = active_member_or_404(user_id)
    if member.pk == request.user.pk or visible_profile(request.user, member) is None:
        raise Http404
    return member


def _member_who_reached_me_or_404(request, user_id: int):
    """A member I may see, or one who sent me a request (they may hide from me, yet I may still
    block or report them). A block either way has deleted every request: the same 404."""
    member = active_member_or_404(user_id)
    if member.pk != request.user.pk and selectors.has_asked(sender=member, recipient=request.user):
        return member
    return _member_or_404(request, user_id)


def _back_to(member):
    return redirect("people:member_detail", user_id=member.pk)


@login_required
def index(request):
    me = request.user
    incoming = [(r, seen_by(me, r.sender.profile)) for r in selectors.incoming_requests(me)]
    outgoing = [(r, seen_by(me, r.recipient.profile)) for r in selectors.outgoing_requests(me)]
    connections = [(c, seen_by(me, p)) for c, p in selectors.connections_of(me)]
    # Whom I blocked, by what they show to all members (the block itself hides everything else).
    blocks = [(b, profile_as_seen(b.blocked.profile, Audience.MEMBER)) for b in selectors.blocks_of(me)]
    return render(
        request,
        "intros/index.html",
        {
            "incoming": incoming,
            "outgoing": outgoing,
            "connections": connections,
            "blocks": blocks,
            "pending_count": selectors.outgoing_pending_count(me),
            "max_pending": services.MAX_PENDING_OUTGOING,
            "intro_pending": selectors.pending_introductions_count(me),
        },
    )


@login_required
@require_POST
def request_send(request, user_id: int):
    member = _member_or_404(request, user_id)
    form = RequestForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back_to(member)
    try:
        services.connection_request_send(sender=request.user, recipient=member, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("Your request is sent."))
    return _back_to(member)


def _answer(request, request_id: int, service, done: str):
    found = selectors.incoming_request_or_404(member=request.user, request_id=request_id)
    try:
        service(request=found, recipient=request.user)
    except ValidationError as exc:
        if request.htmx:
            return render(request, "intros/_answered.html", {"done": " ".join(exc.messages)})
        flash_errors(request, exc)
        return redirect("intros:index")
    if request.htmx:
        return render(request, "intros/_answered.html", {"done": done})
    messages.success(request, done)
    return redirect("intros:index")


@login_required
@require_POST
def request_accept(request, request_id: int):
    return _answer(request, request_id, services.connection_request_accept, _("You are now connected."))


@login_required
@require_POST
def request_decline(request, request_id: int):
    return _answer(request, request_id, services.connection_request_decline, _("Request declined."))


@login_required
@require_POST
def request_ignore(request, request_id: int):
    return _answer(request, request_id, services.connection_request_ignore, _("Request ignored."))


@login_required
@require_POST
def request_withdraw(request, request_id: int):
    found = selectors.outgoing_request_or_404(member=request.user, request_id=request_id)
    services.connection_request_withdraw(request=found, sender=request.user)
    messages.success(request, _("Your request is withdrawn."))
    return redirect("intros:index")


@login_required
@require_POST
def connection_remove(request, user_id: int):
    member = active_member_or_404(user_id)
    if member.pk not in selectors.connected_ids(request.user):
        raise Http404
    services.connection_remove(member=request.user, other=member)
    messages.success(request, _("The connection is removed."))
    return redirect("intros:index")


@login_required
@require_POST
def block(request, user_id: int):
    member = _member_who_reached_me_or_404(request, user_id)
    services.block_create(blocker=request.user, blocked=member)
    messages.success(request, _("Blocked. You will not see each other on Cercle any more."))
    return redirect("intros:index")


@login_required
@require_POST
def unblock(request, user_id: int):
    member = active_member_or_404(user_id)
    if not request.user.blocks_made.filter(blocked=member).exists():
        raise Http404
    services.block_remove(blocker=request.user, blocked=member)
    messages.success(request, _("Unblocked."))
    return redirect("intros:index")


def _back_from_report(request, member):
    """Back to the member's page, or to my requests when the member hides from me."""
    if visible_profile(request.user, member) is None:
        return redirect("intros:index")
    return _back_to(member)


@login_required
@require_POST
def report(request, user_id: int):
    member = _member_who_reached_me_or_404(request, user_id)
    form = ReportForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back_from_report(request, member)
    try:
        services.member_report(reporter=request.user, reported=member, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("Thank you. Your report will be looked into."))
    return _back_from_report(request, member)


# Introductions ---------------------------------------------------------------------------------


@login_required
def introductions(request):
    me = request.user
    return render(
        request,
        "intros/introductions.html",
        {
            "for_me": selectors.introductions_for(me),
            "by_me": selectors.introductions_by(me),
            "asks_received": selectors.asks_received(me),
            "asks_made": selectors.asks_made(me),
        },
    )


@login_required
def introduce(request):
    me = request.user
    choices = sorted(
        ((p.user_id, seen_by(me, p).display_name) for _c, p in selectors.connections_of(me)),
        key=lambda choice: choice[1].casefold(),
    )
    form = IntroductionForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        chosen = [form.cleaned_data["first"], form.cleaned_data["second"]]
        members = {u.pk: u for u in User.objects.filter(pk__in=chosen)}
        try:
            services.introduction_create(
                introducer=me,
                first=members[form.cleaned_data["first"]],
                second=members[form.cleaned_data["second"]],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(
                request, _("Your introduction is sent. Each will answer before learning the other's name.")
            )
            return redirect("intros:introductions")
    return render(request, "intros/introductions_new.html", {"form": form, "has_choices": len(choices) >= 2})


def _intro_answer(request, introduction_id: int, accept: bool):
    found = selectors.introduction_for_me_or_404(member=request.user, introduction_id=introduction_id)
    try:
        services.introduction_answer(member=request.user, introduction=found, accept=accept)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("Thank you, your answer is recorded."))
    return redirect("intros:introductions")


@login_required
@require_POST
def introduction_accept(request, introduction_id: int):
    return _intro_answer(request, introduction_id, True)


@login_required
@require_POST
def introduction_decline(request, introduction_id: int):
    return _intro_answer(request, introduction_id, False)


@login_required
@require_POST
def introduction_met(request, introduction_id: int):
    found = selectors.introduction_for_me_or_404(member=request.user, introduction_id=introduction_id)
    met = request.POST.get("met")
    if met not in ("yes", "no"):
        messages.error(request, _("Say whether you met."))
        return redirect("intros:introductions")
    try:
        services.introduction_record_met(member=request.user, introduction=found, met=met == "yes")
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("Thank you, noted."))
    return redirect("intros:introductions")


# Who can introduce me? ---------------------------------------------------------------------------


def _next_or(request, fallback: str) -> str:
    """Back where the form was (a profile, the suggestions), when that is a page of this site."""
    from django.utils.http import url_has_allowed_host_and_scheme

    wanted = request.POST.get("next", "")
    if wanted and url_has_allowed_host_and_scheme(wanted, {request.get_host()}, request.is_secure()):
        return wanted
    return fallback


@login_required
def paths(request, user_id: int):
    """The chains to a member, shortest then strongest, each with a one-click ask to its first hop."""
    me = request.user
    target = active_member_or_404(user_id)
    seen = visible_profile(me, target) if target.pk != me.pk else None
    if seen is None:
        raise Http404
    connected = seen.audience == Audience.CONNECTION
    context = {
        "target": target,
        "seen": seen,
        "connected": connected,
        "paths": [] if connected else selectors.intro_paths(me, target),
        "asked_ids": selectors.pending_ask_target_ids(me),
        "prefill": ASK_REASON_PREFILL,
        "next": request.get_full_path() if not request.htmx else request.headers.get("HX-Current-URL", ""),
    }
    template = "intros/_paths.html" if request.htmx else "intros/paths.html"
    return render(request, template, context)


@login_required
@require_POST
def ask_create(request, user_id: int):
    """Ask a connection for an introduction to `user_id` (HTMX: the form is swapped for the outcome)."""
    target = _member_or_404(request, user_id)
    form = AskForm(request.POST)
    errors: list[str] = []
    if form.is_valid():
        mutual = User.objects.filter(pk=form.cleaned_data["mutual"]).first()
        try:
            if mutual is None:
                raise ValidationError(services.ASK_NOT_POSSIBLE)
            services.introduction_ask_create(
                requester=request.user, mutual=mutual, target=target, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            errors = list(exc.messages)
    else:
        errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
    done = _("Your ask is sent. Your connection decides; you will be told if they introduce you.")
    if request.htmx:
        return render(request, "intros/_ask_sent.html", {"errors": errors, "done": done})
    if errors:
        for error in errors:
            messages.error(request, error)
    else:
        messages.success(request, done)
    return redirect(_next_or(request, reverse("intros:paths", args=[target.pk])))


@login_required
@require_POST
def ask_introduce(request, ask_id: int):
    ask = selectors.ask_received_or_404(mutual=request.user, ask_id=ask_id)
    form = AskIntroduceForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("intros:introductions")
    try:
        services.introduction_ask_introduce(ask=ask, mutual=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("Your introduction is sent. The other person answers before learning the name."))
    return redirect("intros:introductions")


@login_required
@require_POST
def ask_decline(request, ask_id: int):
    ask = selectors.ask_received_or_404(mutual=request.user, ask_id=ask_id)
    try:
        services.introduction_ask_decline(ask=ask, mutual=request.user)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("Declined. They are not told."))
    return redirect("intros:introductions")


@login_required
@require_POST
def ask_withdraw(request, ask_id: int):
    ask = selectors.ask_made_or_404(requester=request.user, ask_id=ask_id)
    services.introduction_ask_withdraw(ask=ask, requester=request.user)
    messages.success(request, _("Your ask is withdrawn."))
    return redirect("intros:introductions")
