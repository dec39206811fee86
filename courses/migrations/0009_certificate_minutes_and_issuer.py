"""Certificates state the course's length in its own minutes (as the course page does) and the
issuing organisation.

Existing certificates get their minutes back from the course when it still states them, else
from the hours they printed; their issuer stays empty (their PDF never showed one).
"""

from django.db import migrations, models


def minutes_from_course(apps, schema_editor):
    Certificate = apps.get_model("courses", "Certificate")
    for certificate in Certificate.objects.select_related("course").iterator():
        certificate.minutes = certificate.course.estimated_minutes or int(certificate.hours * 60)
        certificate.save(update_fields=["minutes"])


def hours_from_minutes(apps, schema_editor):
    Certificate = apps.get_model("courses", "Certificate")
    for certificate in Certificate.objects.iterator():
        certificate.hours = round(certificate.minutes / 60, 1)
        certificate.save(update_fields=["hours"])


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0008_taxonomy_moved_to_its_own_app"),
    ]

    operations = [
        migrations.AddField(
            model_name="certificate",
            name="minutes",
            field=models.PositiveIntegerField(default=0, verbose_name="study time (minutes)"),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="certificate",
            name="hours",
            field=models.DecimalField(decimal_places=1, default=0, max_digits=5, verbose_name="hours"),
        ),
        migrations.RunPython(minutes_from_course, hours_from_minutes),
        migrations.RemoveField(model_name="certificate", name="hours"),
        migrations.AlterField(
            model_name="certificate",
            name="minutes",
            field=models.PositiveIntegerField(
                help_text="The course's stated length when the certificate was issued.",
                verbose_name="study time (minutes)",
            ),
        ),
        migrations.AddField(
            model_name="certificate",
            name="issuer",
            field=models.CharField(blank=True, max_length=120, verbose_name="issuing organisation"),
        ),
    ]
