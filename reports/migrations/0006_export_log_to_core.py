"""The export log moves to core (one table for every app): copy the rows, then drop ours."""

from django.db import migrations


def copy_rows(apps, schema_editor):
    try:
        Old = apps.get_model("reports", "ExportLog")
    except LookupError:  # replayed against today's models (browser tests): nothing to move
        return
    New = apps.get_model("core", "ExportLog")
    for old in Old.objects.all().iterator():
        new = New.objects.create(
            user_id=old.user_id,
            app=old.app,
            kind=old.kind,
            params=old.params,
            row_count=old.row_count,
            status=old.status,
            progress=old.progress,
            file=old.file.name,
            error=old.error,
            finished_at=old.finished_at,
        )
        # auto_now_add wrote today's date: keep when the export really happened.
        New.objects.filter(pk=new.pk).update(created_at=old.created_at)


def copy_back(apps, schema_editor):
    try:
        Old = apps.get_model("reports", "ExportLog")
    except LookupError:  # replayed against today's models (browser tests): nothing to move
        return
    New = apps.get_model("core", "ExportLog")
    for new in New.objects.exclude(app="households").exclude(user=None).iterator():
        Old.objects.create(
            user_id=new.user_id,
            app=new.app,
            kind=new.kind,
            params=new.params,
            row_count=new.row_count,
            status=new.status,
            progress=new.progress,
            file=new.file.name,
            error=new.error,
            finished_at=new.finished_at,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_export_log"),
        ("reports", "0005_ledger_created_by_blank"),
    ]

    operations = [
        migrations.RunPython(copy_rows, copy_back),
        migrations.DeleteModel(name="ExportLog"),
    ]
