"""notify(): the member's preferences decide the channels; the e-mail speaks the member's language."""

import pytest
from django.core import mail
from django.utils.translation import gettext_noop

from notifications import selectors, services
from notifications.emails import as_recipient, render_message
from notifications.models import Kind, Notification, Preference

pytestmark = pytest.mark.django_db

# A message id the French catalogue already translates ("%(name)s fait désormais partie de votre réseau.").
MESSAGE = gettext_noop("%(name)s is in your network.")


def _notify(recipient, **extra):
    fields = {"kind": Kind.INVITATION, "message": MESSAGE, "params": {"name": "Inès"}, "url": "/network/"}
    return services.notify(recipient=recipient, **(fields | extra))


def test_by_default_it_shows_in_the_app_and_sends_an_email(owner, emails_sent):
    notification = emails_sent(lambda: _notify(owner))

    assert notification.in_app and notification.read_at is None
    assert list(selectors.notifications_for(member=owner)) == [notification]
    assert [m.to for m in mail.outbox] == [[owner.email]]
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_the_email_waits_for_the_commit(owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _notify(owner)
    assert mail.outbox == [] and len(callbacks) == 1


def test_in_app_off_sends_the_email_only(owner, emails_sent):
    services.preferences_save(member=owner, choices={Kind.INVITATION: (False, True)})

    notification = emails_sent(lambda: _notify(owner))

    assert len(mail.outbox) == 1
    assert notification is not None and not notification.in_app
    assert list(selectors.notifications_for(member=owner)) == []
    assert selectors.unread_count(member=owner) == 0


def test_email_off_shows_it_in_the_app_only(owner, emails_sent):
    services.preferences_save(member=owner, choices={Kind.INVITATION: (True, False)})

    notification = emails_sent(lambda: _notify(owner))

    assert mail.outbox == []
    assert list(selectors.notifications_for(member=owner)) == [notification]
    assert selectors.unread_count(member=owner) == 1


def test_both_off_records_and_sends_nothing(owner, emails_sent):
    services.preferences_save(member=owner, choices={Kind.INVITATION: (False, False)})

    assert emails_sent(lambda: _notify(owner)) is None
    assert mail.outbox == [] and not Notification.objects.exists()


def test_a_preference_of_one_kind_leaves_the_others_alone(owner, emails_sent):
    services.preferences_save(member=owner, choices={Kind.INVITATION: (False, False)})

    emails_sent(lambda: _notify(owner, kind=Kind.ANNOUNCEMENT))

    assert len(mail.outbox) == 1 and selectors.unread_count(member=owner) == 1


def test_an_unknown_kind_is_refused(owner):
    with pytest.raises(ValueError):
        _notify(owner, kind="gossip")


def test_a_key_makes_it_happen_once(owner, emails_sent):
    first = emails_sent(lambda: _notify(owner, key="event_reminder:1:2026-11-24"))
    second = emails_sent(lambda: _notify(owner, key="event_reminder:1:2026-11-24"))

    assert first is not None and second is None
    assert Notification.objects.count() == 1 and len(mail.outbox) == 1


def test_the_email_is_in_the_recipients_language(owner, member, set_language, emails_sent):
    set_language(owner, "fr")
    set_language(member, "en")

    emails_sent(lambda: (_notify(owner), _notify(member)))

    by_recipient = {m.to[0]: m for m in mail.outbox}
    french, english = by_recipient[owner.email], by_recipient[member.email]
    assert "Inès fait désormais partie de votre réseau." in french.body
    assert "Inès fait désormais partie de votre réseau." in french.subject
    assert "Inès is in your network." in english.body
    assert english.subject == "[Cercle] Inès is in your network."


def test_datetimes_are_shown_in_the_readers_language_and_time_zone(owner, member, set_language, emails_sent):
    set_language(owner, "fr")
    set_language(member, "en")
    message = "Starts %(starts_at)s"  # a message id without translation: only the date is localised
    params = {"starts_at": "2026-11-24T18:30:00+00:00"}

    emails_sent(lambda: [_notify(who, message=message, params=params) for who in (owner, member)])

    by_recipient = {m.to[0]: m.body for m in mail.outbox}
    assert "Starts 24 novembre 2026 19:30" in by_recipient[owner.email]  # Paris is UTC+1 in November
    assert "Starts Nov. 24, 2026, 7:30 p.m." in by_recipient[member.email]


def test_the_email_carries_the_unsubscribe_link_and_headers(owner, emails_sent):
    emails_sent(lambda: _notify(owner))

    message = mail.outbox[0]
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert link.startswith("http://127.0.0.1:8000/notifications/unsubscribe/")
    assert link in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "http://127.0.0.1:8000/network/" in message.body


def test_an_email_is_sent_once_even_if_the_task_runs_twice(owner, emails_sent):
    from notifications.emails import notification_email_send

    notification = emails_sent(lambda: _notify(owner))

    assert notification_email_send(notification_id=notification.pk) is False
    assert len(mail.outbox) == 1


def test_a_failed_send_can_be_tried_again(owner, monkeypatch):
    from django.core.mail import EmailMultiAlternatives

    from notifications.emails import notification_email_send

    services.preferences_save(member=owner, choices={Kind.INVITATION: (True, False)})
    notification = _notify(owner)

    def refuse(self, *args, **kwargs):
        raise ConnectionError("SMTP is down")

    with monkeypatch.context() as patched:
        patched.setattr(EmailMultiAlternatives, "send", refuse)
        with pytest.raises(ConnectionError):
            notification_email_send(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.emailed_at is None

    assert notification_email_send(notification_id=notification.pk) is True
    assert len(mail.outbox) == 1


def test_a_translation_that_lost_a_parameter_falls_back_to_the_message_id(owner):
    notification = Notification(recipient=owner, kind=Kind.INVITATION, message=MESSAGE, params={"other": "x"})
    assert render_message(notification) == MESSAGE


def test_a_preference_row_is_kept_per_kind(owner):
    services.preferences_save(member=owner, choices={Kind.DIGEST: (True, False)})
    services.preferences_save(member=owner, choices={Kind.DIGEST: (False, False)})
    assert list(Preference.objects.filter(member=owner).values_list("kind", "in_app", "email")) == [
        ("digest", False, False)
    ]


def test_a_name_given_without_saying_whose_it_is_is_refused(owner, member):
    with pytest.raises(ValueError, match="naming"):
        _notify(owner, params={"names": ["Marc", "Inès"]}, naming={"names": [member]})
    with pytest.raises(ValueError, match="naming"):
        _notify(owner, params={}, naming={"name": member})
    assert not Notification.objects.exists()


def test_a_list_parameter_is_shown_joined_and_each_part_in_the_readers_language(owner, set_language):
    from notifications.parts import FORMER_MEMBER, message_part

    notification = _notify(owner, params={"name": ["Inès", message_part(FORMER_MEMBER)]})
    set_language(owner, "fr")
    with as_recipient(owner):
        assert render_message(notification) == "Inès, un ancien membre fait désormais partie de votre réseau."
