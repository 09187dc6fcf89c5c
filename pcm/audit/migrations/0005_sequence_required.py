"""Chain the audit trail, 3 of 3: every entry has its sequence number; indexes for the trail
pages (an agency's, a case's, a service user's and a user's entries, newest first).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0004_chain_existing_entries"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="sequence",
            field=models.BigIntegerField(unique=True),
        ),
        migrations.AlterModelOptions(
            name="auditevent",
            options={"ordering": ["sequence"]},
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="agency",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.agency",
            ),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["agency", "-sequence"], name="audit_agency_seq_idx"),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["agency", "case", "-sequence"], name="audit_case_seq_idx"),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(
                fields=["agency", "person", "-sequence"], name="audit_person_seq_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["agency", "actor", "-sequence"], name="audit_actor_seq_idx"),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(
                fields=["agency", "event_type", "-sequence"], name="audit_type_seq_idx"
            ),
        ),
    ]
