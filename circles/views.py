"""Circles: thin views over circles.services and circles.selectors.

Access is decided in one place (`selectors.circle_for_viewer_or_404`, and
`circle_for_organizer_or_404` for managing): a missing circle and a forbidden one are the same 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cercle.flash import flash_errors
from cercle.public_pages import public_page
from circles import selectors, services
from circles.circle_sections import circle_sections
from circles.forms import (
    AnnouncementForm,
    CheckinForm,
    CircleForm,
    CircleSearchForm,
    DecideForm,
    InviteForm,
    JoinForm,
    MentoringPairForm,
    ParticipationForm,
    RemoveForm,
    ReportForm,
    ResolveForm,
    RoleForm,
)
from circles.models import Invitation, Membership, MembershipMode, Participation, Role, Status, Visibility
from circles.signals import SESSION_INVITATION
from circles.vocab import FAMILY_PROS_CONS
from people import vocab


def _detail(circle):
    return redirect("circles:detail", slug=circle.slug)


def _manage(circle, anchor: str = ""):
    return redirect(reverse("circles:manage", args=[circle.slug]) + (f"#{anchor}" if anchor else ""))


# --- Browsing and pages of a circle -------------------------------------------------------------


def browse(request):
    cities = selectors.browse_cities(request.user)
    form = CircleSearchForm(request.GET or None, cities=cities)
    filters = form.filters()
    circles = selectors.circles_browse(viewer=request.user, **filters)
    page = Paginator(circles, selectors.BROWSE_PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in request.GET.items() if k != "page" and v})
    context = {"form": form, "page": page, "query": query}
    template = "circles/_browse_results.html" if request.htmx else "circles/browse.html"
    return render(request, template, context)


@login_required
def create(request):
    form = CircleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            circle = services.circle_create(creator=request.user, **form.circle_fields())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your circle is created: you are its organizer."))
            return _detail(circle)
    return render(request, "circles/circle_form.html", {"form": form, "circle": None})


@login_required
def mine(request):
    return render(request, "circles/mine.html", {"memberships": selectors.my_memberships(user=request.user)})


def _membership_context(request, circle) -> dict:
    """What the membership panel of a circle's page needs, for this viewer."""
    mine = None
    if request.user.is_authenticated:
        mine = Membership.objects.select_related("sponsor__profile").filter(circle=circle, member=request.user).first()
    active = mine is not None and mine.status == Status.ACTIVE
    can_invite = active and (circle.membership_mode != MembershipMode.REQUEST or mine.role == Role.ORGANIZER)
    return {
        "circle": circle,
        "mine": mine,
        "active": active,
        "is_organizer": active and mine.role == Role.ORGANIZER,
        "can_invite": can_invite,
        "join_form": JoinForm(),
        "Participation": Participation,
        "Status": Status,
    }


def detail(request, slug: str):
    if not request.user.is_authenticated:
        return public_page(request, "circles/detail.html", lambda: _detail_context(request, slug))
    return render(request, "circles/detail.html", _detail_context(request, slug))


def _detail_context(request, slug: str) -> dict:
    circle = selectors.circle_for_viewer_or_404(request.user, slug)
    context = _membership_context(request, circle)
    pros, cons = FAMILY_PROS_CONS.get(circle.family, ("", ""))
    context.update(
        # The viewer's membership, read once above, tells both lists what the viewer may see.
        organizers=selectors.organizers_of(circle=circle, viewer=request.user, membership=context["mine"]),
        members=selectors.members_of(circle=circle, viewer=request.user, per_page=12, membership=context["mine"]),
        # An unlisted circle's events are for its members (as on the events' own pages).
        events=selectors.upcoming_events(circle=circle)
        if circle.visibility != Visibility.UNLISTED or context["active"]
        else [],
        pros=pros,
        cons=cons,
        values=[vocab.value_label(v) for v in circle.values],
        mentoring=selectors.my_mentoring(circle=circle, user=request.user),
        checkin_form=CheckinForm(),
        # Panels of the apps above circles (the referral club's), built by their own selectors.
        sections=circle_sections(request, circle, context["mine"]),
    )
    return context


def members(request, slug: str):
    circle = selectors.circle_for_viewer_or_404(request.user, slug)
    listing = selectors.members_of(circle=circle, viewer=request.user, page_number=request.GET.get("page"))
    return render(request, "circles/members.html", {"circle": circle, "members": listing})


# --- A member's own membership ---------------------------------------------------------------


def _membership_answer(request, circle):
    if request.htmx:
        return render(request, "circles/_membership.html", _membership_context(request, circle))
    return _detail(circle)


def _my_membership_or_404(request, circle) -> Membership:
    membership = Membership.objects.select_related("circle").filter(circle=circle, member=request.user).first()
    if membership is None:
        raise Http404
    return membership


@login_required
@require_POST
def join(request, slug: str):
    circle = selectors.circle_for_viewer_or_404(request.user, slug)
    form = JoinForm(request.POST)
    message = form.cleaned_data["message"] if form.is_valid() else ""
    try:
        membership = services.membership_join(circle=circle, member=request.user, message=message)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        if membership.status == Status.REQUESTED:
            messages.success(request, _("Your request is sent: the organizers will answer you."))
        else:
            messages.success(request, _("Welcome to %(circle)s!") % {"circle": circle.name})
    return _membership_answer(request, circle)


@login_required
@require_POST
def leave(request, slug: str):
    circle = selectors.circle_for_viewer_or_404(request.user, slug)
    membership = _my_membership_or_404(request, circle)
    before = membership.status
    try:
        services.membership_leave(membership=membership)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        if before == Status.INVITED:
            messages.success(request, _("You declined the invitation."))
        elif before == Status.REQUESTED:
            messages.success(request, _("Your request is withdrawn."))
        else:
            messages.success(request, _("You left %(circle)s.") % {"circle": circle.name})
    return _membership_answer(request, circle)


@login_required
@require_POST
def participation(request, slug: str):
    circle = selectors.circle_for_viewer_or_404(request.user, slug)
    membership = _my_membership_or_404(request, circle)
    form = ParticipationForm(request.POST)
    if form.is_valid():
        try:
            services.membership_set_participation(
                membership=membership, participation=form.cleaned_data["participation"]
            )
        except ValidationError as exc:
            flash_errors(request, exc)
    return _membership_answer(request, circle)


@login_required
@require_POST
def pairing(request, slug: str):
    circle = selectors.circle_for_viewer_or_404(request.user, slug)
    membership = _my_membership_or_404(request, circle)
    try:
        services.membership_set_pairing(membership=membership, opt_in=request.POST.get("opt_in") == "on")
    except ValidationError as exc:
        flash_errors(request, exc)
    return _membership_answer(request, circle)


@login_required
def invite(request, slug: str):
    circle = selectors.circle_for_viewer_or_404(request.user, slug)
    if selectors.membership_of(circle=circle, user=request.user) is None:
        raise Http404
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_create(circle=circle, inviter=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            # The same answer whether the address has an account or not.
            messages.success(
                request, _("Your invitation to %(email)s is on its way.") % {"email": form.cleaned_data["email"]}
            )
            return redirect("circles:invite", slug=circle.slug)
    return render(request, "circles/invite.html", {"circle": circle, "form": form})


@login_required
def report(request, slug: str):
    circle = selectors.circle_for_viewer_or_404(request.user, slug)
    if selectors.membership_of(circle=circle, user=request.user) is None:
        raise Http404
    listing = selectors.members_of(circle=circle, viewer=request.user, per_page=500)
    choices = [(e.membership.member_id, e.name) for e in listing.entries if e.membership.member_id != request.user.pk]
    form = ReportForm(request.POST or None, members=choices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        reported = next(
            (e.membership.member for e in listing.entries if e.membership.member_id == data["reported"]), None
        )
        try:
            services.report_create(
                circle=circle, reporter=request.user, reported=reported, about=data["about"], reason=data["reason"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Thank you. The organizers of the circle will look into it."))
            return _detail(circle)
    return render(request, "circles/report.html", {"circle": circle, "form": form})


@login_required
@require_POST
def mentoring_checkin(request, slug: str, pair_id: int):
    circle = selectors.circle_for_viewer_or_404(request.user, slug)
    pair = selectors.mentoring_pair_for_viewer_or_404(circle=circle, pair_id=pair_id, viewer=request.user)
    form = CheckinForm(request.POST)
    if form.is_valid():
        services.mentoring_checkin_add(pair=pair, author=request.user, **form.cleaned_data)
        messages.success(request, _("The check-in is noted."))
    else:
        messages.error(request, _("The check-in could not be noted: %(errors)s") % {"errors": form.errors.as_text()})
    if request.POST.get("from") == "manage" and selectors.membership_of(
        circle=circle, user=request.user, role=Role.ORGANIZER
    ):
        return _manage(circle, "mentoring")
    return _detail(circle)


# --- Invitations by e-mail -------------------------------------------------------------------


def _invitation_or_404(request, token: str) -> Invitation:
    try:
        invitation = services.invitation_from_link(token)
    except ValidationError:
        raise Http404 from None
    used_by_someone_else = invitation.used_at is not None and (
        not request.user.is_authenticated or invitation.accepted_by_id != request.user.pk
    )
    if used_by_someone_else:
        raise Http404
    return invitation


def invitation(request, token: str):
    """The page an invitation e-mail leads to: sign up or log in, then accept."""
    invitation = _invitation_or_404(request, token)
    circle = invitation.circle
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('account_login')}?{urlencode({'next': request.path})}")
        try:
            services.invitation_accept(invitation=invitation, user=request.user)
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, _("Welcome to %(circle)s!") % {"circle": circle.name})
        return _detail(circle)
    if not request.user.is_authenticated:
        request.session[SESSION_INVITATION] = token
    inviter = invitation.inviter.profile.display_name if invitation.inviter_id else ""
    return render(
        request,
        "circles/invitation.html",
        {
            "invitation": invitation,
            "circle": circle,
            "inviter": inviter,
            "next": urlencode({"next": request.path}),
        },
    )


# --- Organizers ------------------------------------------------------------------------------


def _member_choices(circle, viewer) -> list[tuple[int, str]]:
    listing = selectors.members_of(circle=circle, viewer=viewer, per_page=1000)
    return [(e.membership.member_id, e.name) for e in listing.entries]


@login_required
def manage(request, slug: str):
    circle = selectors.circle_for_organizer_or_404(request.user, slug)
    listing = selectors.members_of(circle=circle, viewer=request.user, page_number=request.GET.get("page"))
    choices = _member_choices(circle, request.user)
    return render(
        request,
        "circles/manage.html",
        {
            "circle": circle,
            "members": listing,
            "requests": selectors.pending_requests(circle=circle),
            "seat_map": selectors.seat_map(circle=circle),
            "invitations": selectors.pending_invitations(circle=circle, viewer=request.user),
            "reports": selectors.reports_of(circle=circle),
            "pairs": selectors.mentoring_pairs_of(circle=circle),
            "announcement_form": AnnouncementForm(),
            "decide_form": DecideForm(),
            "remove_form": RemoveForm(),
            "resolve_form": ResolveForm(),
            "pair_form": MentoringPairForm(members=choices),
            "checkin_form": CheckinForm(),
            "Role": Role,
        },
    )


@login_required
def edit(request, slug: str):
    circle = selectors.circle_for_organizer_or_404(request.user, slug)
    form = CircleForm(request.POST or None, instance=circle)
    if request.method == "POST" and form.is_valid():
        try:
            services.circle_update(circle=circle, organizer=request.user, **form.circle_fields())
        except ValidationError as exc:
            circle.refresh_from_db()
            form.add_error(None, exc)
        else:
            messages.success(request, _("The circle is saved."))
            return _detail(circle)
    return render(request, "circles/circle_form.html", {"form": form, "circle": circle})


@login_required
@require_POST
def request_decide(request, slug: str, membership_id: int):
    circle = selectors.circle_for_organizer_or_404(request.user, slug)
    membership = selectors.membership_in_circle_or_404(circle=circle, membership_id=membership_id)
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to approve or decline."))
        return _manage(circle, "requests")
    approve = form.cleaned_data["decision"] == "approve"
    try:
        services.membership_request_decide(
            membership=membership, organizer=request.user, approve=approve, answer=form.cleaned_data["answer"]
        )
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("The request is approved.") if approve else _("The request is declined."))
    return _manage(circle, "requests")


@login_required
@require_POST
def member_role(request, slug: str, membership_id: int):
    circle = selectors.circle_for_organizer_or_404(request.user, slug)
    membership = selectors.membership_in_circle_or_404(circle=circle, membership_id=membership_id)
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            services.membership_set_role(membership=membership, organizer=request.user, role=form.cleaned_data["role"])
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, _("The role is saved."))
    if membership.member_id == request.user.pk and membership.role != Role.ORGANIZER:
        return _detail(circle)  # no longer an organizer: the manage page is closed to them now
    return _manage(circle, "members")


@login_required
@require_POST
def member_remove(request, slug: str, membership_id: int):
    circle = selectors.circle_for_organizer_or_404(request.user, slug)
    membership = selectors.membership_in_circle_or_404(circle=circle, membership_id=membership_id)
    form = RemoveForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(services.REASON_REQUIRED)
        services.membership_remove(membership=membership, organizer=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("The member is removed; they were told why."))
    return _manage(circle, "members")


@login_required
@require_POST
def announce(request, slug: str):
    circle = selectors.circle_for_organizer_or_404(request.user, slug)
    form = AnnouncementForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(services.ANNOUNCEMENT_EMPTY)
        count = services.announcement_send(circle=circle, organizer=request.user, text=form.cleaned_data["text"])
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("The announcement is sent to %(count)s members.") % {"count": count})
    return _manage(circle, "announce")


@login_required
@require_POST
def report_resolve(request, slug: str, report_id: int):
    circle = selectors.circle_for_organizer_or_404(request.user, slug)
    report = selectors.report_in_circle_or_404(circle=circle, report_id=report_id)
    form = ResolveForm(request.POST)
    resolution = form.cleaned_data["resolution"] if form.is_valid() else ""
    try:
        services.report_resolve(report=report, organizer=request.user, resolution=resolution)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("The report is resolved."))
    return _manage(circle, "reports")


@login_required
@require_POST
def mentoring_create(request, slug: str):
    circle = selectors.circle_for_organizer_or_404(request.user, slug)
    form = MentoringPairForm(request.POST, members=_member_choices(circle, request.user))
    if not form.is_valid():
        messages.error(request, _("Pick a mentor and a mentee among the members."))
        return _manage(circle, "mentoring")
    mentor_id, mentee_id = form.cleaned_data["mentor"], form.cleaned_data["mentee"]
    people = {
        m.member_id: m.member
        for m in Membership.objects.select_related("member").filter(
            circle=circle, status=Status.ACTIVE, member_id__in=[mentor_id, mentee_id]
        )
    }
    try:
        if mentor_id not in people or mentee_id not in people:
            raise ValidationError(services.MENTORING_NOT_MEMBERS)
        services.mentoring_pair_create(
            circle=circle, organizer=request.user, mentor=people[mentor_id], mentee=people[mentee_id]
        )
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("The mentoring pair is formed."))
    return _manage(circle, "mentoring")


@login_required
@require_POST
def mentoring_end(request, slug: str, pair_id: int):
    circle = selectors.circle_for_organizer_or_404(request.user, slug)
    pair = selectors.mentoring_pair_for_viewer_or_404(circle=circle, pair_id=pair_id, viewer=request.user)
    services.mentoring_pair_end(pair=pair, organizer=request.user)
    messages.success(request, _("The mentoring pair is ended."))
    return _manage(circle, "mentoring")
