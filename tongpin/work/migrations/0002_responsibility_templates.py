"""Seed the responsibility-list templates (data: editable afterwards, never overwritten)."""

from django.db import migrations


def seed(apps, schema_editor):
    from tongpin.work.templates_data import TEMPLATES

    Template = apps.get_model("work", "ResponsibilityTemplate")
    Item = apps.get_model("work", "ResponsibilityTemplateItem")
    for data in TEMPLATES:
        template, created = Template.objects.get_or_create(
            kind=data["kind"], defaults={"name": data["name"], "basis": data["basis"]}
        )
        if not created:
            continue
        Item.objects.bulk_create(
            Item(template=template, order=order, category=category, text=text)
            for order, (category, text) in enumerate(data["items"], start=1)
        )


class Migration(migrations.Migration):
    dependencies = [("work", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
