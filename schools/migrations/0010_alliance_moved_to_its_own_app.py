"""The alliance now lives in the ``alliance`` app: drop its models from this app's state only.

The tables (``schools_alliance*``, ``schools_eventregistration``, ``schools_teachingresource*``)
stay where they are and now belong to ``alliance`` (its 0001 creates the same models in its
state, with these table names, and renames their content types).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("schools", "0009_outbox_retry_and_idempotency"),
        ("alliance", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="TeachingResourceDocument"),
                migrations.DeleteModel(name="EventRegistration"),
                migrations.DeleteModel(name="AllianceEventPage"),
                migrations.DeleteModel(name="TeachingResourcePage"),
                migrations.DeleteModel(name="AllianceNewsPage"),
                migrations.DeleteModel(name="AllianceIndexPage"),
                migrations.DeleteModel(name="AllianceMember"),
            ],
            database_operations=[],
        )
    ]
