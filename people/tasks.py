"""Background work of the people app. Tasks call services; they hold no logic of their own."""

from django_tasks import task


@task(queue_name="mail")
def deliver_email(*, subject: str, body: str, from_email: str, to: list[str], html: str = "") -> int:
    """Send one e-mail outside the request: a slow SMTP server never slows a page."""
    from django.core.mail import EmailMultiAlternatives

    message = EmailMultiAlternatives(subject=subject, body=body, from_email=from_email, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    return message.send()
