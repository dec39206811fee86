"""The workstation directory now lives in the ``workstations`` app: drop its models from this app's state only.

The tables (``home_workstation``, ``home_workstation_services``, ``home_stationservice``,
``home_workstationindexpage``) stay where they are and now belong to ``workstations`` (its 0001
creates the same models in its state, with these table names, and renames their content types).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0003_search_and_workstations"),
        ("workstations", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="Workstation"),
                migrations.DeleteModel(name="StationService"),
                migrations.DeleteModel(name="WorkstationIndexPage"),
            ],
            database_operations=[],
        )
    ]
