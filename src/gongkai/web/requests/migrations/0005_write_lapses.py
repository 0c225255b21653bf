"""Ledgers recorded before #10 never closed a request by a lapse: write those closings once."""

from django.db import migrations


def _write_lapses(apps, schema_editor):
    from gongkai.web.requests.timeline import write_lapses

    write_lapses(apps.get_model("requests", "Request"), apps.get_model("requests", "RequestEvent"))


class Migration(migrations.Migration):

    dependencies = [
        ('requests', '0004_law_of_issue_10'),
    ]

    operations = [
        migrations.RunPython(_write_lapses, migrations.RunPython.noop),
    ]
