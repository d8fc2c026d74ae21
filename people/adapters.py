"""allauth hooks: every new account gets a profile; e-mails go out through the task queue."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation


@dataclass(frozen=True)
class Site:
    """What allauth's e-mails greet with ("Hello from Cercle!"): without django.contrib.sites they
    would name the request's site, which has no name."""

    name: str
    domain: str


def this_site() -> Site:
    return Site(name=settings.SITE_NAME, domain=urlsplit(settings.SITE_URL).netloc)


class CercleAccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            from people.services import profile_create

            profile_create(user=user, language=translation.get_language() or "fr")
        return user

    def send_mail(self, template_prefix, email, context):
        from people.tasks import deliver_email

        message = self.render_mail(template_prefix, email, {**context, "current_site": this_site()})
        html = next((content for content, mime in getattr(message, "alternatives", []) if mime == "text/html"), "")
        payload = {
            "subject": message.subject,
            "body": message.body,
            "from_email": message.from_email,
            "to": list(message.to),
            "html": html,
        }
        # The database queue stores the task in the request's own transaction: a sign-up
        # that rolls back sends nothing, and no on_commit hook is needed.
        deliver_email.enqueue(**payload)

    def _get_login_attempts_cache_key(self, request, **credentials):
        # allauth keys the per-account count on "<site domain>:<login>", and without
        # django.contrib.sites the domain is the request's Host header: another host name or port
        # gave five fresh tries. The count belongs to the account (all its addresses), or to the
        # address when no account has it. allauth has no public hook for this key (its maintainers
        # point to this method); a password reset clears the count through it too.
        login = credentials.get("email", credentials.get("username", "")).strip().lower()
        # Both tables keep addresses in lower case: exact, indexed look-ups.
        account = get_user_model().objects.filter(email=login).values_list("pk", flat=True).first()
        if account is None:
            account = EmailAddress.objects.filter(email=login).values_list("user_id", flat=True).first()
        return f"account:{account}" if account is not None else f"address:{login}"
