"""allauth hooks: every new account gets a profile; e-mails go out through the task queue."""

from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation


class CercleAccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            from people.services import profile_create

            profile_create(user=user, language=translation.get_language() or "fr")
        return user

    def send_mail(self, template_prefix, email, context):
        from people.tasks import deliver_email

        message = self.render_mail(template_prefix, email, context)
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
