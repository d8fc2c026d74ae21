"""The dashboard's running totals (network.tallies), counted from the rows already there."""

from collections import Counter

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def count_existing_rows(apps, schema_editor):
    """What network.tallies.network_tallies_rebuild writes, for every owner, with these models."""
    from django.db.models import Count

    from network.tallies import city_group, label_groups, sector_group

    Contact = apps.get_model("network", "Contact")
    Interaction = apps.get_model("network", "Interaction")
    ContactTally = apps.get_model("network", "ContactTally")
    InteractionTally = apps.get_model("network", "InteractionTally")
    owners = set(Contact.objects.values_list("owner_id", flat=True).distinct())
    owners |= set(Interaction.objects.values_list("owner_id", flat=True).distinct())
    for owner_id in sorted(owners):
        active = Contact.objects.filter(owner_id=owner_id, archived=False)
        groups = Counter()
        for labels, n in active.values_list("labels").annotate(n=Count("id")).order_by():
            for group in label_groups(labels):
                groups[group] += n
        for city, sector, n in active.values_list("city", "sector").annotate(n=Count("id")).order_by():
            groups[city_group(city)] += n
            groups[sector_group(sector)] += n
        ContactTally.objects.bulk_create(
            [
                ContactTally(owner_id=owner_id, dimension=d, key=k, spelling=s, count=n)
                for (d, k, s), n in groups.items()
            ],
            batch_size=2000,
        )
        days = Interaction.objects.filter(owner_id=owner_id).values_list("occurred_on", "kind").annotate(n=Count("id"))
        InteractionTally.objects.bulk_create(
            [InteractionTally(owner_id=owner_id, day=day, kind=kind, count=n) for day, kind, n in days.order_by()],
            batch_size=2000,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0003_interaction_contacts_covering_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ContactTally",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "dimension",
                    models.CharField(
                        choices=[("label", "label"), ("city", "city"), ("sector", "sector")], max_length=6
                    ),
                ),
                ("key", models.TextField(blank=True)),
                ("spelling", models.TextField(blank=True)),
                ("count", models.PositiveIntegerField()),
                (
                    "owner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("owner", "dimension", "key", "spelling"), name="contact_tally_per_group"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="InteractionTally",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("day", models.DateField()),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("breakfast", "Breakfast"),
                            ("lunch", "Lunch"),
                            ("coffee", "Coffee"),
                            ("after_work", "After-work"),
                            ("call", "Call"),
                            ("message", "Message"),
                            ("event", "Event"),
                            ("introduction", "Introduction"),
                            ("help_given", "Help given"),
                            ("help_received", "Help received"),
                        ],
                        max_length=15,
                    ),
                ),
                ("count", models.PositiveIntegerField()),
                (
                    "owner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
            ],
            options={
                "indexes": [models.Index(fields=["owner", "kind", "day"], name="interaction_tally_by_kind")],
                "constraints": [
                    models.UniqueConstraint(fields=("owner", "day", "kind"), name="interaction_tally_per_day")
                ],
            },
        ),
        migrations.RunPython(count_existing_rows, migrations.RunPython.noop),
    ]
