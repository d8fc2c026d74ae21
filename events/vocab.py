"""Event formats, with their honest pros and cons (shown on every event page)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventFormat(models.TextChoices):
    BREAKFAST = "breakfast", _("Breakfast")
    LUNCH = "lunch", _("Lunch")
    AFTER_WORK = "after_work", _("After-work")
    EVENING = "evening", _("Evening")
    SATURDAY_CAMP = "saturday_camp", _("Saturday camp / barcamp")
    CONFERENCE = "conference", _("Conference")


FORMAT_PROS_CONS = {
    EventFormat.BREAKFAST: (
        _("Early and short: fits before work, people are fresh and focused."),
        _("Early start; little time for long conversations."),
    ),
    EventFormat.LUNCH: (
        _("A table makes real conversations: you leave knowing a few people well."),
        _("You meet only your neighbours at the table."),
    ),
    EventFormat.AFTER_WORK: (
        _("Relaxed, you can move around and meet many people."),
        _("Noisy; it competes with family evenings."),
    ),
    EventFormat.EVENING: (
        _("Time for talks and a proper exchange afterwards."),
        _("Late: harder for parents and for people from further away."),
    ),
    EventFormat.SATURDAY_CAMP: (
        _("A whole day of workshops: you learn and build things together."),
        _("It takes your Saturday."),
    ),
    EventFormat.CONFERENCE: (
        _("Content and speakers: you learn and meet people who care about the topic."),
        _("Many people, little time between talks to really meet."),
    ),
}
