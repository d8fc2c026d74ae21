"""The dashboard's map reads (contact → interactions) links for a few hundred contacts: an index
holding both columns answers without visiting the link table's rows."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("network", "0002_dashboard_indexes")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX network_interaction_contacts_by_contact "
            "ON network_interaction_contacts (contact_id, interaction_id)",
            "DROP INDEX network_interaction_contacts_by_contact",
        )
    ]
