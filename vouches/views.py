"""Vouches: thin views over vouches.services.

A vouch is reached only through its subject (approve, remove) or its author (edit, withdraw):
any other id is the same 404 as a missing one. Writing one is reached only for a member the
privacy selector lets the writer see, so a block (either way) is a 404 too.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cercle.flash import flash_errors
from people.selectors import active_member_or_404
from privacy.selectors import seen_by, visible_profile
from vouches import selectors, services
from vouches.forms import VouchForm
from vouches.models import Status


@login_required
def index(request):
    me = request.user
    return render(
        request,
        "vouches/index.html",
        {
            "pending": selectors.pending_about(me),
            "approved": selectors.approved_about(me),
            "written": selectors.written_by(me),
        },
    )


@login_required
def write(request, user_id: int):
    member = active_member_or_404(user_id)
    seen = None if member.pk == request.user.pk else visible_profile(request.user, member)
    if seen is None:
        raise Http404
    earlier = selectors.vouch_between(author=request.user, subject=member)
    if earlier is not None and (refusal := services.rewrite_refusal(earlier)):
        messages.info(request, refusal)
        return redirect("vouches:index")
    form = VouchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.vouch_write(
                author=request.user,
                subject=member,
                worked_with=form.cleaned_data["worked_with"],
                **form.service_fields(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your vouch is sent. It appears on their profile once they approve it."))
            return redirect("vouches:index")
    return render(request, "vouches/write.html", {"form": form, "member": member, "seen": seen, "editing": False})


@login_required
def edit(request, vouch_id: int):
    vouch = selectors.vouch_by_me_or_404(member=request.user, vouch_id=vouch_id)
    if not vouch.editable_by_author:
        messages.error(request, services.NOT_EDITABLE)
        return redirect("vouches:index")
    initial = {k: getattr(vouch, k) for k in ("relation", "started_on", "ended_on", "text")}
    form = VouchForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.vouch_edit(vouch=vouch, author=request.user, **form.service_fields())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your vouch is saved."))
            return redirect("vouches:index")
    seen = seen_by(request.user, vouch.subject.profile)
    return render(request, "vouches/write.html", {"form": form, "member": vouch.subject, "seen": seen, "editing": True})


@login_required
@require_POST
def withdraw(request, vouch_id: int):
    vouch = selectors.vouch_by_me_or_404(member=request.user, vouch_id=vouch_id)
    services.vouch_withdraw(vouch=vouch, author=request.user)
    messages.success(request, _("Your vouch is withdrawn."))
    return redirect("vouches:index")


@login_required
@require_POST
def approve(request, vouch_id: int):
    vouch = selectors.vouch_about_me_or_404(member=request.user, vouch_id=vouch_id, statuses=[Status.PENDING])
    try:
        services.vouch_approve(vouch=vouch, subject=request.user)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("Approved: the vouch now appears on your profile."))
    return redirect("vouches:index")


@login_required
@require_POST
def remove(request, vouch_id: int):
    vouch = selectors.vouch_about_me_or_404(
        member=request.user, vouch_id=vouch_id, statuses=[Status.PENDING, Status.APPROVED]
    )
    was_pending = vouch.status == Status.PENDING
    try:
        services.vouch_remove(vouch=vouch, subject=request.user)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        if was_pending:
            messages.success(request, _("Declined. The author is not told."))
        else:
            messages.success(request, _("Removed: the vouch no longer appears on your profile."))
    return redirect("vouches:index")
