"""Roster exports join the one export log in core: copy the rows, then drop ours."""

from django.db import migrations


def copy_rows(apps, schema_editor):
    try:
        Old = apps.get_model("households", "RosterExport")
    except LookupError:  # replayed against today's models (browser tests): nothing to move
        return
    New = apps.get_model("core", "ExportLog")
    for old in Old.objects.all().iterator():
        new = New.objects.create(
            user_id=old.user_id,
            app="households",
            kind="roster",
            description=old.description,
            params={key: str(value) for key, value in old.filters.items() if value is not None},
            row_count=old.rows,
            status="done" if old.finished_at else "pending",
            progress=100 if old.finished_at else 0,
            file=old.file.name,
            finished_at=old.finished_at,
        )
        New.objects.filter(pk=new.pk).update(created_at=old.created_at)


def copy_back(apps, schema_editor):
    try:
        Old = apps.get_model("households", "RosterExport")
    except LookupError:  # replayed against today's models (browser tests): nothing to move
        return
    New = apps.get_model("core", "ExportLog")
    for new in New.objects.filter(app="households").iterator():
        Old.objects.create(
            user_id=new.user_id,
            description=new.description,
            filters=new.params,
            rows=new.row_count,
            file=new.file.name,
            finished_at=new.finished_at,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_export_log"),
        ("households", "0003_roster_export_file"),
    ]

    operations = [
        migrations.RunPython(copy_rows, copy_back),
        migrations.DeleteModel(name="RosterExport"),
    ]
