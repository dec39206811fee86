"""Encrypts the attachment files stored before attachments were encrypted at rest."""

from django.db import migrations


def encrypt_plain_files(apps, schema_editor):
    from schools.crypto import rotate_attachment_files

    rotate_attachment_files(apps.get_model("schools", "Attachment"), only_plaintext=True)


class Migration(migrations.Migration):
    dependencies = [("schools", "0006_media_block_wagtailmedia")]

    operations = [migrations.RunPython(encrypt_plain_files, migrations.RunPython.noop)]
