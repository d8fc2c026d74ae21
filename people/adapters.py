"""allauth hooks: every new account gets a profile; e-mails go out through the task queue."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
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
