"""Name search on PostgreSQL: pg_trgm, a column ``search_name`` and a trigram index on it.

``zicht_search_name`` is ``apps.geography.names.normalise`` in SQL (lower case ASCII words
separated by one space), so accents and punctuation do not count in ``LIKE`` or in pg_trgm's
``%`` and ``similarity()``; a test compares the two on every name of the national list. It is
IMMUTABLE (translate, lower, regexp_replace), so PostgreSQL keeps its value of each name in the
generated column ``geography_area.search_name``, which the trigram index holds. A search reads
that column instead of computing the function for every row it looks at (about 10 µs a name:
a short query touches most of the 18,000 names of an indeling). Names in plain ASCII, nearly
all, skip the slow ``translate`` when the column is written.

Django's model does not know the column (``selectors.SearchName`` names it), so other databases
need no change: SQLite searches in memory (``names.NameIndex``). Changing the type of
``Area.name`` on PostgreSQL means dropping ``search_name`` first.
"""

from django.db import migrations

# Latin letters with diacritics, both cases, and their bare letter (from Unicode's NFKD);
# ß and ĳ are two letters wide, so ``replace`` takes them.
ACCENTED = (
    "ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĨĩ"
    "ĪīĬĭĮįİĴĵĶķĹĺĻļĽľŃńŅņŇňŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžſƠơƯưǍǎǏǐǑǒǓǔǕǖǗǘǙǚǛǜ"
    "ǞǟǠǡǦǧǨǩǪǫǬǭǰǴǵǸǹǺǻȀȁȂȃȄȅȆȇȈȉȊȋȌȍȎȏȐȑȒȓȔȕȖȗȘșȚțȞȟȦȧȨȩȪȫȬȭȮȯȰȱȲȳ"
)
BARE = (
    "aaaaaaceeeeiiiinooooouuuuyaaaaaaceeeeiiiinooooouuuuyyaaaaaaccccccccddeeeeeeeeeegggggggghhii"
    "iiiiiiijjkkllllllnnnnnnoooooorrrrrrssssssssttttuuuuuuuuuuuuwwyyyzzzzzzsoouuaaiioouuuuuuuuuu"
    "aaaaggkkoooojggnnaaaaaaeeeeiiiioooorrrruuuusstthhaaeeooooooooyy"
)

CREATE = f"""
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE OR REPLACE FUNCTION zicht_search_name(name text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT btrim(regexp_replace(
    lower(CASE WHEN octet_length(name) = char_length(name) THEN name
               ELSE translate(replace(replace(replace(name, 'ß', 'ss'), 'Ĳ', 'ij'), 'ĳ', 'ij'),
                              '{ACCENTED}', '{BARE}') END),
    '[^a-z0-9]+', ' ', 'g'))
$$;
ALTER TABLE geography_area ADD COLUMN IF NOT EXISTS search_name text
  GENERATED ALWAYS AS (zicht_search_name(name)) STORED;
CREATE INDEX IF NOT EXISTS geography_area_search_name_trgm
  ON geography_area USING gin (search_name gin_trgm_ops);
"""

# The extension stays: other database objects may use it.
DROP = """
DROP INDEX IF EXISTS geography_area_search_name_trgm;
ALTER TABLE geography_area DROP COLUMN IF EXISTS search_name;
DROP FUNCTION IF EXISTS zicht_search_name(text);
"""


def _on_postgresql(sql: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("geography", "0002_area_postcode"),
    ]

    operations = [
        migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP), elidable=False),
    ]
