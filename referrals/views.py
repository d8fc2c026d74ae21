"""Referrals: thin views over referrals.services and referrals.selectors.

A referral is reached only by its giver or its receiver (`referral_for_member_or_404`); a club's
pages only by its active members (`referral_club_for_member_or_404`). Anything else is the same
404 as a missing one, so neither a referral nor a membership leaks.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cercle.flash import flash_errors
from people.selectors import active_member_or_404
from referrals import selectors, services
from referrals.forms import FilterForm, GiveForm, StatusForm
from referrals.models import ReferralStatus


@login_required
def index(request):
    me = request.user
    form = FilterForm(request.GET or None)
    rows = selectors.my_referrals(member=me, **form.filters())
    return render(
        request,
        "referrals/index.html",
        {"form": form, "rows": rows, "clubs": selectors.my_referral_clubs(me), "filtered": bool(request.GET)},
    )


@login_required
def detail(request, referral_id: int):
    referral = selectors.referral_for_member_or_404(member=request.user, referral_id=referral_id)
    row = selectors.referral_row(member=request.user, referral=referral)
    status_form = None
    if not row.given and referral.next_statuses:
        status_form = StatusForm(referral=referral)
    return render(request, "referrals/detail.html", {"row": row, "referral": referral, "status_form": status_form})


@login_required
@require_POST
def update_status(request, referral_id: int):
    referral = selectors.referral_for_member_or_404(member=request.user, referral_id=referral_id)
    if referral.receiver_id != request.user.pk:
        # The giver reaches the referral, but its status is the receiver's to change.
        messages.error(request, services.NOT_YOURS)
        return redirect("referrals:detail", referral_id=referral.pk)
    form = StatusForm(request.POST, referral=referral)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("referrals:detail", referral_id=referral.pk)
    try:
        updated = services.referral_update_status(
            referral=referral,
            member=request.user,
            status=form.cleaned_data["status"],
            value=form.cleaned_data["value"],
            lost_reason=form.cleaned_data["lost_reason"],
        )
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        done = {
            ReferralStatus.CONTACTED: _("Noted: you contacted the prospect."),
            ReferralStatus.WON: _("Congratulations! The referral is marked as won."),
            ReferralStatus.LOST: _("Noted: the referral is marked as lost."),
        }
        messages.success(request, done[updated.status])
    return redirect("referrals:detail", referral_id=referral.pk)


@login_required
@require_POST
def withdraw(request, referral_id: int):
    referral = selectors.referral_for_member_or_404(member=request.user, referral_id=referral_id)
    try:
        services.referral_withdraw(referral=referral, member=request.user)
    except ValidationError as exc:
        flash_errors(request, exc)
        return redirect("referrals:detail", referral_id=referral.pk)
    messages.success(request, _("The referral is withdrawn."))
    return redirect("referrals:index")


@login_required
def give(request, slug: str):
    circle = selectors.referral_club_for_member_or_404(request.user, slug)
    receivers = selectors.receivers_for(giver=request.user, circle=circle)
    initial = {"receiver": request.GET.get("to")} if request.GET.get("to") else None
    form = GiveForm(request.POST or None, receivers=receivers, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral = services.referral_give(
                giver=request.user,
                circle=circle,
                # One of the choices, so one of the receivers the giver may see.
                receiver=active_member_or_404(data["receiver"]),
                prospect_name=data["prospect_name"],
                prospect_company=data["prospect_company"],
                prospect_email=data["prospect_email"],
                prospect_phone=data["prospect_phone"],
                need=data["need"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your referral is given: they have been told."))
            return redirect("referrals:detail", referral_id=referral.pk)
    return render(request, "referrals/give.html", {"circle": circle, "form": form, "has_choices": bool(receivers)})


@login_required
def stats(request, slug: str):
    circle = selectors.referral_club_for_member_or_404(request.user, slug)
    return render(
        request,
        "referrals/stats.html",
        {"circle": circle, "stats": selectors.circle_stats(circle=circle, viewer=request.user)},
    )
