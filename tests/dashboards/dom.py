"""A page's HTML as a small tree (the standard library's parser), so tests read tables and lists
the way a visitor sees them: cell by cell, item by item, text without tags."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)

    @property
    def text(self) -> str:
        parts = [child if isinstance(child, str) else child.text for child in self.children]
        return re.sub(r"\s+", " ", "".join(parts)).strip()

    @property
    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()

    def all(self, tag: str, **attrs) -> list[Node]:
        """Every descendant ``tag`` whose attributes hold the given values (``class_`` is one
        class among the element's classes)."""
        found = []
        for child in self.children:
            if isinstance(child, str):
                continue
            if child.tag == tag and _matches(child, attrs):
                found.append(child)
            found += child.all(tag, **attrs)
        return found

    def one(self, tag: str, **attrs) -> Node:
        found = self.all(tag, **attrs)
        assert len(found) == 1, f"{len(found)} <{tag} {attrs}>"
        return found[0]


def _matches(node: Node, attrs: dict) -> bool:
    for key, value in attrs.items():
        if key == "class_":
            if value not in node.classes:
                return False
        elif node.attrs.get(key) != value:
            return False
    return True


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("document")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {key: value or "" for key, value in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Node(tag, {key: value or "" for key, value in attrs}))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(html: str) -> Node:
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root


def table_rows(table: Node) -> tuple[list[str], list[list[Node]]]:
    """(header texts, rows of cells) of a table; a row's cells are its th and td in order."""
    header = [cell.text for cell in table.one("thead").all("th")]
    rows = []
    for tr in table.one("tbody").all("tr"):
        rows.append([child for child in tr.children if isinstance(child, Node) and child.tag in ("th", "td")])
    return header, rows
