"""Keys issued before they were hashed: the migration turns them into digests and deletes them."""

import datetime as dt
from importlib import import_module
from types import SimpleNamespace

from django.apps import apps
from django.db import connection

from apps.accounts.models import ApiKey
from apps.accounts.services import api_key_digest
from tests.organisations.conftest import make_user

migration = import_module("apps.accounts.migrations.0004_api_keys_from_plain_tokens")
PLAIN = "0123456789abcdef0123456789abcdef01234567"


def test_plain_tokens_become_digests_and_are_deleted(db):
    user = make_user()
    created = dt.datetime(2026, 1, 5, 9, 30, tzinfo=dt.UTC)
    with connection.cursor() as cursor:  # DRF's authtoken table as it was
        cursor.execute("CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, user_id integer NOT NULL, "
                       "created timestamp with time zone NOT NULL)")
        cursor.execute("INSERT INTO authtoken_token VALUES (%s, %s, %s)", [PLAIN, user.pk, created])

    migration.hash_plain_tokens(apps, SimpleNamespace(connection=connection))

    stored = ApiKey.objects.get(user=user)
    assert stored.digest == api_key_digest(PLAIN) and stored.prefix == PLAIN[:8]
    assert stored.created_at == created
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM authtoken_token")
        assert cursor.fetchone()[0] == 0


def test_a_database_without_the_old_table_has_nothing_to_do(db):
    migration.hash_plain_tokens(apps, SimpleNamespace(connection=connection))
    assert not ApiKey.objects.exists()
