"""Tasks completed before the closed loop existed count as reported and closed on that day."""

from django.db import migrations
from django.db.models import F


def close_completed(apps, schema_editor):
    PartyTask = apps.get_model("work", "PartyTask")
    PartyTask.objects.filter(completed_on__isnull=False).update(
        reported_on=F("completed_on"), closed_on=F("completed_on")
    )


class Migration(migrations.Migration):
    dependencies = [("work", "0003_closed_loop")]

    operations = [migrations.RunPython(close_completed, migrations.RunPython.noop)]
