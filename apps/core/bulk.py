"""Fast bulk reads and writes between pandas frames and a model's table.

Staging hundreds of thousands of cells through model instances would cost more than the import
itself; PostgreSQL gets COPY, SQLite one executemany, both inside the caller's transaction.
Values are converted column by column (numpy does the work); only columns of mixed Python
objects (JSON dicts, numpy scalars among strings) go value by value.
"""

import io
import json

import numpy as np
import pandas as pd
from django.db import connection

BATCH = 50_000


def _cell(value):
    if value is None:
        return None
    if isinstance(value, float) and np.isnan(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, dict | list):
        return json.dumps(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return None if np.isnan(value) else float(value)
    if isinstance(value, (np.bool_,)):
        return bool(value)
    return value


def column_values(column: pd.Series) -> list:
    """The values of a column as plain Python values for a database driver (None for missing)."""
    dtype = column.dtype
    if pd.api.types.is_float_dtype(dtype) and not isinstance(dtype, pd.api.extensions.ExtensionDtype):
        values = column.to_numpy()
        converted = values.astype(object)
        converted[np.isnan(values)] = None
        return converted.tolist()
    if (pd.api.types.is_integer_dtype(dtype) or pd.api.types.is_bool_dtype(dtype)) and not isinstance(
        dtype, pd.api.extensions.ExtensionDtype
    ):
        return column.to_numpy().tolist()
    if pd.api.types.is_object_dtype(dtype) and pd.api.types.infer_dtype(column, skipna=False) == "string":
        return column.tolist()
    if isinstance(dtype, pd.api.extensions.ExtensionDtype) and not pd.api.types.is_datetime64_any_dtype(dtype):
        converted = column.astype(object)
        return [None if value is pd.NA else value for value in converted.where(column.notna(), None).tolist()]
    return [_cell(value) for value in column.tolist()]


def insert_frame(model, frame: pd.DataFrame, columns: dict[str, str] | None = None) -> int:
    """Insert every row of ``frame``; ``columns`` maps model field names to frame columns."""
    if frame.empty:
        return 0
    columns = columns or {name: name for name in frame.columns}
    fields = [model._meta.get_field(name) for name in columns]
    db_columns = [field.column for field in fields]
    data = {name: column_values(frame[source]) for name, source in columns.items()}
    table = model._meta.db_table
    if connection.vendor == "postgresql":
        return _copy(table, db_columns, pd.DataFrame(data))
    rows = list(zip(*data.values()))
    placeholders = ", ".join(["%s"] * len(db_columns))
    quoted = ", ".join(connection.ops.quote_name(c) for c in db_columns)
    sql = f"INSERT INTO {connection.ops.quote_name(table)} ({quoted}) VALUES ({placeholders})"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start : start + BATCH])
    return len(rows)


def refresh_statistics(*models) -> None:
    """Let PostgreSQL's planner know tables just grew or changed a lot. Until autovacuum comes
    by it plans for each table as it was (for a table it thinks empty, nested loops that take
    seconds once it holds a release). ANALYZE samples, so it is cheap; SQLite needs nothing."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _copy(table: str, db_columns: list[str], data: pd.DataFrame) -> int:
    buffer = io.StringIO()
    # ``data`` holds plain Python values already (column_values); None is written as NULL.
    data.to_csv(buffer, index=False, header=False, na_rep="\\N")
    buffer.seek(0)
    quoted = ", ".join(connection.ops.quote_name(c) for c in db_columns)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN WITH (FORMAT csv, NULL '\\N')",
            buffer,
        )
    return len(data)


def read_frame(queryset, fields: list[str]) -> pd.DataFrame:
    """The rows of ``queryset.values_list(*fields)`` as a frame, straight from the database cursor:
    no model instances and no per-value field converters. The caller converts what the backend
    returns raw (SQLite: booleans as 0/1, dates as text, JSON as text)."""
    sql, params = queryset.values_list(*fields).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return pd.DataFrame.from_records(cursor.fetchall(), columns=fields)
