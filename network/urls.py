from django.urls import path

from network.views import contacts, dashboard, imports

app_name = "network"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("contacts/", contacts.contact_list, name="contact_list"),
    path("contacts/new/", contacts.contact_create, name="contact_create"),
    path("contacts/<int:contact_id>/", contacts.contact_detail, name="contact_detail"),
    path("contacts/<int:contact_id>/edit/", contacts.contact_edit, name="contact_edit"),
    path("contacts/<int:contact_id>/archive/", contacts.contact_archive, name="contact_archive"),
    path("contacts/<int:contact_id>/snooze/", contacts.contact_snooze, name="contact_snooze"),
    path("contacts/<int:contact_id>/no-cadence/", contacts.contact_no_cadence, name="contact_no_cadence"),
    path("contacts/<int:contact_id>/log/", contacts.contact_quick_log, name="contact_quick_log"),
    path("contacts/<int:contact_id>/draft/", contacts.contact_draft, name="contact_draft"),
    path("interactions/new/", contacts.interaction_create, name="interaction_create"),
    path("interactions/<int:interaction_id>/delete/", contacts.interaction_delete, name="interaction_delete"),
    path("due/", contacts.due_list, name="due_list"),
    path("rhythm/", contacts.rhythm_edit, name="rhythm_edit"),
    path("ledger/", contacts.ledger_view, name="ledger"),
    path("review/", contacts.review, name="review"),
    path("import/", imports.import_upload, name="import_upload"),
    path("import/<int:batch_id>/", imports.import_preview, name="import_preview"),
    path("import/<int:batch_id>/confirm/", imports.import_confirm, name="import_confirm"),
    path("import/<int:batch_id>/cancel/", imports.import_cancel, name="import_cancel"),
    path("export/contacts.vcf", imports.export_vcard, name="export_vcard"),
    path("export/contacts.csv", imports.export_csv, name="export_csv"),
]
