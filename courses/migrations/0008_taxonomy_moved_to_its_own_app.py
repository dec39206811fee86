"""The taxonomy now lives in the ``taxonomy`` app: point courses at it and drop it from this app's
state only.

The tables (``courses_topic``, ``courses_agegroup``) stay where they are and now belong to
``taxonomy`` (its 0001 creates the same models in its state, with these table names, and renames
their content types). The questions' ``topic_id`` column, the link tables of course pages
(``courses_coursepage_topics``, ``courses_coursepage_age_groups``) and quizzes
(``courses_quizpage_topics``) and their foreign keys stay as they are: they already point at
those tables. ``library`` 0003 repoints the resources' tags first, so no field in the state is
left pointing at a model that is gone.
"""

import django.db.models.deletion
import modelcluster.fields
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0007_teacher_media_permission"),
        ("library", "0003_taxonomy_moved_to_its_own_app"),
        ("taxonomy", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="coursepage",
                    name="topics",
                    field=modelcluster.fields.ParentalManyToManyField(
                        blank=True, related_name="courses", to="taxonomy.topic", verbose_name="topics"
                    ),
                ),
                migrations.AlterField(
                    model_name="coursepage",
                    name="age_groups",
                    field=modelcluster.fields.ParentalManyToManyField(
                        blank=True, related_name="courses", to="taxonomy.agegroup", verbose_name="child age groups"
                    ),
                ),
                migrations.AlterField(
                    model_name="question",
                    name="topic",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="questions",
                        to="taxonomy.topic",
                        verbose_name="topic",
                    ),
                ),
                migrations.AlterField(
                    model_name="quizpage",
                    name="topics",
                    field=modelcluster.fields.ParentalManyToManyField(
                        blank=True,
                        help_text="Leave empty to draw from every topic.",
                        related_name="quizzes",
                        to="taxonomy.topic",
                        verbose_name="draw from topics",
                    ),
                ),
                migrations.DeleteModel(name="Topic"),
                migrations.DeleteModel(name="AgeGroup"),
            ],
            database_operations=[],
        )
    ]
