"""Published figures are read in one place, ``apps.releases.selectors``, and written in one, the
release builder (``apps.releases.services``). No other module names ``PublishedValue``, so how a
release is stored can change there alone (delta storage), and no read path can skip the rules the
reader keeps (every level, withheld cells without a value, the derived flag)."""

import ast
from pathlib import Path

from apps.releases.models import PublishedValue, Release

APPS = Path(__file__).resolve().parents[2] / "apps"
READER = "releases/selectors.py"
WRITER = "releases/services.py"
MAY_NAME_IT = {READER, WRITER, "releases/models.py"}


def _mentions(tree: ast.AST) -> list[tuple[int, str]]:
    """Where a module names the model: as a name, an attribute, an import or a string (get_model)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id == "PublishedValue":
            found.append((node.lineno, "name"))
        elif isinstance(node, ast.Attribute) and node.attr == "PublishedValue":
            found.append((node.lineno, "attribute"))
        elif isinstance(node, ast.alias) and node.name.split(".")[-1] == "PublishedValue":
            found.append((getattr(node, "lineno", 0), "import"))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.lower() in (
            "publishedvalue", "releases.publishedvalue"
        ):
            found.append((node.lineno, "string"))
    return found


def _queries(tree: ast.AST) -> list[int]:
    """Lines that query the model (``PublishedValue.objects``)."""
    return [
        node.lineno for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr == "objects"
        and isinstance(node.value, ast.Name) and node.value.id == "PublishedValue"
    ]


def _modules():
    for path in sorted(APPS.rglob("*.py")):
        relative = path.relative_to(APPS).as_posix()
        if "/migrations/" not in relative:
            yield relative, ast.parse(path.read_text(), filename=str(path))


def test_no_module_but_the_reader_and_the_builder_names_published_values():
    offenders = [
        f"apps/{relative}:{line} ({how})"
        for relative, tree in _modules() if relative not in MAY_NAME_IT
        for line, how in _mentions(tree)
    ]
    assert not offenders, "read published figures through apps.releases.selectors: " + ", ".join(offenders)


def test_the_builder_writes_published_values_but_reads_them_through_the_reader():
    trees = dict(_modules())
    assert _queries(trees[READER]), "the reader is where the queries are"
    assert not _queries(trees[WRITER]), f"apps/{WRITER} queries PublishedValue: move the read to apps/{READER}"


def test_a_release_has_no_way_round_the_reader_to_its_values():
    relations = [f for f in Release._meta.get_fields(include_hidden=True) if f.related_model is PublishedValue]
    assert relations and all(relation.hidden for relation in relations), "no reverse accessor on Release"
