"""The taxonomy now lives in the ``taxonomy`` app: point the resources' tags at it, in state only.

The link tables (``library_resourcepage_topics``, ``library_resourcepage_age_groups``) and their
foreign keys to ``courses_topic`` and ``courses_agegroup`` stay as they are: those tables now
belong to ``taxonomy`` (its 0001 creates the models in its state with these table names).
"""

import modelcluster.fields
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0002_media_block_wagtailmedia"),
        ("taxonomy", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="resourcepage",
                    name="topics",
                    field=modelcluster.fields.ParentalManyToManyField(
                        blank=True, related_name="resources", to="taxonomy.topic", verbose_name="topics"
                    ),
                ),
                migrations.AlterField(
                    model_name="resourcepage",
                    name="age_groups",
                    field=modelcluster.fields.ParentalManyToManyField(
                        blank=True, related_name="resources", to="taxonomy.agegroup", verbose_name="child age groups"
                    ),
                ),
            ],
            database_operations=[],
        )
    ]
