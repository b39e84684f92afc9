"""Fast bulk writes of a pandas frame into a model's table.

Staging hundreds of thousands of cells through model instances would cost more than the import
itself; PostgreSQL gets COPY, SQLite one executemany, both inside the caller's transaction.
"""

import io
import json

import numpy as np
import pandas as pd
from django.db import connection


def _cell(value):
    if value is None:
        return None
    if isinstance(value, float) and np.isnan(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, dict):
        return json.dumps(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return None if np.isnan(value) else float(value)
    if isinstance(value, (np.bool_,)):
        return bool(value)
    return value


def insert_frame(model, frame: pd.DataFrame, columns: dict[str, str] | None = None) -> int:
    """Insert every row of ``frame``; ``columns`` maps model field names to frame columns."""
    if frame.empty:
        return 0
    columns = columns or {name: name for name in frame.columns}
    fields = [model._meta.get_field(name) for name in columns]
    db_columns = [field.column for field in fields]
    data = frame[list(columns.values())]
    table = model._meta.db_table
    if connection.vendor == "postgresql":
        return _copy(table, db_columns, data)
    rows = [tuple(_cell(value) for value in row) for row in data.itertuples(index=False, name=None)]
    placeholders = ", ".join(["%s"] * len(db_columns))
    quoted = ", ".join(connection.ops.quote_name(c) for c in db_columns)
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {connection.ops.quote_name(table)} ({quoted}) VALUES ({placeholders})", rows)
    return len(rows)


def _copy(table: str, db_columns: list[str], data: pd.DataFrame) -> int:
    buffer = io.StringIO()
    converted = data.map(_cell) if hasattr(data, "map") else data.applymap(_cell)
    converted.to_csv(buffer, index=False, header=False, na_rep="\\N")
    buffer.seek(0)
    quoted = ", ".join(connection.ops.quote_name(c) for c in db_columns)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN WITH (FORMAT csv, NULL '\\N')",
            buffer,
        )
    return len(data)
