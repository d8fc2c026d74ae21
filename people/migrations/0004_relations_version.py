"""Profile.relations_version (people.services.relations_changed).

On SQLite, adding a NOT NULL column rebuilds the people_profile table, which drops the member
search's triggers (0002_search_index): they are put back and the index rebuilt.
"""

import importlib

from django.db import migrations, models

search_index = importlib.import_module("people.migrations.0002_search_index")
TRIGGERS = [statement for statement in search_index.SQLITE_CREATE[1:]]


def restore_search_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in search_index.SQLITE_DROP[:3]:
        schema_editor.execute(statement)
    for statement in TRIGGERS:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("people", "0003_api_token_expiry")]

    operations = [
        migrations.AddField(
            model_name="profile",
            name="relations_version",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(restore_search_triggers, restore_search_triggers),
    ]
