"""The unread count of the navigation's bell: one COUNT, and only on pages that show it."""

from django.utils.functional import SimpleLazyObject


def unread(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count() -> int:
        from notifications.selectors import unread_count

        return unread_count(member=user)

    return {"unread_notifications": SimpleLazyObject(count)}
