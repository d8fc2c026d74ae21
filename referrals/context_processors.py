"""Whether the circles' menu offers "My referrals" (templates/referrals/_nav_link.html): read only
on pages that show that menu."""

from django.utils.functional import SimpleLazyObject

from referrals.selectors import shows_referrals


def nav(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"shows_referrals": SimpleLazyObject(lambda: shows_referrals(user))}
