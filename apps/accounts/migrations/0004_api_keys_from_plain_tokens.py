"""Keys issued before keys were hashed (DRF's authtoken table) become digests, and the plain
keys are deleted: existing keys keep working, and the database no longer holds a usable key.
Raw SQL, because the authtoken app is no longer installed; a database made after it was
removed has no such table and nothing to do."""

import hashlib

from django.db import migrations

TABLE = "authtoken_token"


def hash_plain_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if TABLE not in connection.introspection.table_names():
        return
    ApiKey = apps.get_model("accounts", "ApiKey")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT key, user_id, created FROM {TABLE}")
        rows = cursor.fetchall()
        for key, user_id, created in rows:
            if not ApiKey.objects.filter(user_id=user_id).exists():
                stored = ApiKey.objects.create(user_id=user_id, digest=hashlib.sha256(key.encode()).hexdigest(),
                                               prefix=key[:8])
                ApiKey.objects.filter(pk=stored.pk).update(created_at=created)
        cursor.execute(f"DELETE FROM {TABLE}")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_api_key")]

    operations = [migrations.RunPython(hash_plain_tokens, migrations.RunPython.noop)]
