# HasAnswered gets a random key: sequential ids would order who answered.

import uuid

from django.db import migrations, models

FIELD = models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)


def to_uuid(apps, schema_editor):
    """PostgreSQL cannot cast bigint to uuid: give existing rows fresh random keys instead
    (nothing references HasAnswered). Elsewhere the ordinary column change is enough."""
    model = apps.get_model("feedback", "HasAnswered")
    if schema_editor.connection.vendor == "postgresql":
        table = schema_editor.quote_name(model._meta.db_table)
        schema_editor.execute(f"ALTER TABLE {table} ALTER COLUMN id DROP IDENTITY IF EXISTS")
        schema_editor.execute(f"ALTER TABLE {table} ALTER COLUMN id DROP DEFAULT")
        schema_editor.execute(
            f"ALTER TABLE {table} ALTER COLUMN id TYPE uuid USING gen_random_uuid()"
        )
        return
    old = model._meta.get_field("id")
    new = FIELD.clone()
    new.set_attributes_from_name("id")
    new.model = model
    schema_editor.alter_field(model, old, new)


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(to_uuid, migrations.RunPython.noop)],
            state_operations=[migrations.AlterField(model_name="hasanswered", name="id", field=FIELD)],
        ),
    ]
