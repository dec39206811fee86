"""Search now lives in the ``search`` app: drop the synonyms from this app's state only.

The table (``home_searchsynonym``) stays where it is and now belongs to ``search`` (its 0001
creates the same model in its state, with this table name, and renames its content type).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0004_workstations_moved_to_their_own_app"),
        ("search", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="SearchSynonym")],
            database_operations=[],
        )
    ]
