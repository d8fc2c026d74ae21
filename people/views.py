"""Thin views: authorise, validate a form, call one service, render or redirect."""

import json

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from people import services
from people.cards import member_cards
from people.forms import (
    ConsentForm,
    DeleteAccountForm,
    MemberSearchForm,
    ObjectiveForm,
    PhotoForm,
    ProfileForm,
    TokenForm,
)
from people.models import Objective
from people.profile_page import member_page
from people.profile_sections import ShownMember, profile_sections
from people.search_page import search_page
from people.selectors import account_export, active_member_or_404, profile_of
from people.vcard import vcard_of
from privacy.selectors import Audience, card_profile, profile_as_seen, visible_profile


def _card_url(request, token: str) -> str:
    return request.build_absolute_uri(reverse("people:card", args=[token]))


def _shown_self(user, profile) -> ShownMember:
    version = profile.relations_version
    return ShownMember(user, Audience.SELF, profile.display_name, version, version)


@login_required
def me(request):
    profile = profile_of(request.user)
    return render(
        request,
        "people/me.html",
        {
            "profile": profile,
            "seen": profile_as_seen(profile, Audience.SELF),
            "as_member": profile_as_seen(profile, Audience.MEMBER),
            "card_url": _card_url(request, profile.card_token),
            "sections": profile_sections(request, _shown_self(request.user, profile)),
        },
    )


@login_required
def profile_edit(request):
    profile = profile_of(request.user)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(profile=profile, **form.profile_fields())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("people:me")
    return render(
        request,
        "people/profile_edit.html",
        {"form": form, "profile": profile, "objective_form": ObjectiveForm(), "photo_form": PhotoForm()},
    )


@login_required
def consent_edit(request):
    profile = profile_of(request.user)
    form = ConsentForm(request.POST or None, profile=profile)
    if request.method == "POST" and form.is_valid():
        services.consent_update(
            profile=profile, discoverability=form.cleaned_data["discoverability"], visibility=form.visibility()
        )
        messages.success(request, _("Your privacy settings are saved."))
        return redirect("people:consent")
    return render(request, "people/consent_edit.html", {"form": form, "profile": profile})


@login_required
@require_POST
def photo_upload(request):
    profile = profile_of(request.user)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.photo_set(profile=profile, upload=form.cleaned_data["photo"])
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Your photo is saved."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("people:profile_edit")


@login_required
@require_POST
def photo_remove(request):
    services.photo_remove(profile=profile_of(request.user))
    messages.success(request, _("Your photo is removed."))
    return redirect("people:profile_edit")


def _objectives_fragment(request, profile, form=None):
    return render(
        request,
        "people/_objectives.html",
        {"profile": profile, "objective_form": form or ObjectiveForm()},
    )


@login_required
@require_POST
def objective_add(request):
    profile = profile_of(request.user)
    form = ObjectiveForm(request.POST)
    if form.is_valid():
        services.objective_add(profile=profile, **form.cleaned_data)
        form = None
    if request.htmx:
        return _objectives_fragment(request, profile, form)
    if form is not None:
        messages.error(request, _("The objective could not be added: %(errors)s") % {"errors": form.errors.as_text()})
    return redirect("people:profile_edit")


@login_required
@require_POST
def objective_toggle(request, objective_id: int):
    profile = profile_of(request.user)
    objective = get_object_or_404(Objective, pk=objective_id, profile=profile)
    services.objective_set_done(objective=objective, done=not objective.done)
    return _objectives_fragment(request, profile) if request.htmx else redirect("people:profile_edit")


@login_required
@require_POST
def objective_delete(request, objective_id: int):
    profile = profile_of(request.user)
    services.objective_delete(objective=get_object_or_404(Objective, pk=objective_id, profile=profile))
    return _objectives_fragment(request, profile) if request.htmx else redirect("people:profile_edit")


@login_required
@require_POST
def card_renew(request):
    services.card_token_renew(profile=profile_of(request.user))
    messages.success(request, _("Your card has a new link; the old one no longer works."))
    return redirect("people:me")


@login_required
def account_export_view(request):
    data = account_export(user=request.user)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False, default=str), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="cercle-export.json"'
    return response


@login_required
def account_delete_view(request):
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_delete(user=request.user, password=form.cleaned_data["password"])
        except ValidationError as exc:
            form.add_error("password", exc)
        else:
            logout(request)
            messages.success(request, _("Your account and your data are deleted. Goodbye!"))
            return redirect("home")
    return render(request, "people/account_delete.html", {"form": form})


@login_required
def api_tokens(request):
    form = TokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        new_key = services.api_token_create(
            user=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
        ).key
        form = TokenForm()
    return render(
        request,
        "people/api_tokens.html",
        {"form": form, "tokens": request.user.api_tokens.order_by("-created_at"), "new_key": new_key},
    )


@login_required
@require_POST
def api_token_revoke(request, token_id: int):
    if not services.api_token_revoke(user=request.user, token_id=token_id):
        raise Http404
    messages.success(request, _("The token is revoked."))
    return redirect("people:api_tokens")


@login_required
def member_list(request):
    form = MemberSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    found = search_page(request.user, query, request.GET.get("page"))
    cards = member_cards(request.user, found.rows, viewer_version=found.viewer_relations_version)
    template = "people/_member_results.html" if request.htmx else "people/member_list.html"
    return render(request, template, {"form": form, "page": found.page, "cards": cards, "query": query})


@login_required
def member_detail(request, user_id: int):
    page = member_page(request.user, user_id)
    if page is None:
        raise Http404
    shown = ShownMember(page.member, page.audience, page.title, page.relations_version, page.viewer_relations_version)
    sections = profile_sections(request, shown)
    return render(request, "people/member_detail.html", {"page": page, "sections": sections})


def _photo_response(profile):
    return FileResponse(profile.photo.open("rb"), content_type="image/jpeg")


@login_required
def member_photo(request, user_id: int):
    member = active_member_or_404(user_id)
    seen = visible_profile(request.user, member)
    if seen is None or not seen.has_photo:
        raise Http404
    return _photo_response(member.profile)


@login_required
def member_vcard(request, user_id: int):
    member = active_member_or_404(user_id)
    seen = visible_profile(request.user, member)
    if seen is None:
        raise Http404
    return _vcard_response(seen)


def _vcard_response(seen, card_url: str = ""):
    response = HttpResponse(vcard_of(seen, card_url=card_url), content_type="text/vcard; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="contact.vcf"'
    return response


def _card_or_404(token: str):
    found = card_profile(token)
    if found is None:
        raise Http404
    return found


def card(request, token: str):
    profile, seen = _card_or_404(token)
    return render(request, "people/card.html", {"seen": seen, "token": token, "card_url": _card_url(request, token)})


def card_qr(request, token: str):
    _card_or_404(token)
    response = HttpResponse(content_type="image/svg+xml")
    segno.make(_card_url(request, token), error="m").save(response, kind="svg", scale=6, border=2)
    return response


def card_vcard(request, token: str):
    _profile, seen = _card_or_404(token)
    return _vcard_response(seen, card_url=_card_url(request, token))


def card_photo(request, token: str):
    profile, seen = _card_or_404(token)
    if not seen.has_photo:
        raise Http404
    return _photo_response(profile)


@require_POST
def set_language(request):
    """Django's language switch, remembered on the member's profile too (for e-mails)."""
    from django.views.i18n import set_language as django_set_language

    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.language_set(profile=profile_of(request.user), language=language)
    return response
