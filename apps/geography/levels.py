"""The CBS area levels, their code formats and how a code names its parent.

Codes are strings of fixed length. Since 2023 some gemeenten use letters in wijk and buurt
codes (``BU0363AD03``), so the part after the gemeente number is alphanumeric.
"""

import re

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

NEDERLAND_CODE = "NL00"


class Level(models.TextChoices):
    # Ordered from the top of the hierarchy down; LEVEL_ORDER relies on it.
    LAND = "land", _("country")
    PROVINCIE = "provincie", _("province")
    GEMEENTE = "gemeente", _("municipality")
    WIJK = "wijk", _("district")
    BUURT = "buurt", _("neighbourhood")


LEVEL_ORDER = [level.value for level in Level]

CODE_PATTERNS = {
    Level.LAND: re.compile(r"NL00"),
    Level.PROVINCIE: re.compile(r"PV\d{2}"),
    Level.GEMEENTE: re.compile(r"GM\d{4}"),
    Level.WIJK: re.compile(r"WK\d{4}[0-9A-Z]{2}"),
    Level.BUURT: re.compile(r"BU\d{4}[0-9A-Z]{4}"),
}

CODE_FORMAT_HELP = {
    Level.LAND: "NL00",
    Level.PROVINCIE: "PV + 2 digits, e.g. PV27",
    Level.GEMEENTE: "GM + 4 digits, e.g. GM0363",
    Level.WIJK: "WK + 6 characters, e.g. WK036300",
    Level.BUURT: "BU + 8 characters, e.g. BU03630000 or BU0363AD03",
}


def parse_level(value: str) -> Level:
    try:
        return Level(value)
    except ValueError:
        known = ", ".join(LEVEL_ORDER)
        raise ValueError(f"unknown level {value!r}; known levels: {known}") from None


def code_fits_level(code: str, level: Level) -> bool:
    return bool(CODE_PATTERNS[level].fullmatch(code))


def level_of_code(code: str) -> Level | None:
    for level, pattern in CODE_PATTERNS.items():
        if pattern.fullmatch(code):
            return level
    return None


def parent_code_by_rule(code: str, level: Level) -> str | None:
    """The parent code that the CBS code rule gives, where it gives one.

    A wijk's gemeente and a buurt's wijk follow from the code; a gemeente's provincie does not
    (it comes from the lookup), and a provincie's parent is always Nederland.
    """
    if level == Level.BUURT:
        return "WK" + code[2:8]
    if level == Level.WIJK:
        return "GM" + code[2:6]
    if level == Level.PROVINCIE:
        return NEDERLAND_CODE
    return None


def descendant_prefixes(code: str) -> tuple[str, ...]:
    """Code prefixes of the areas inside an area by the CBS code rule: a gemeente's wijken (WK +
    its digits) and buurten (BU + its digits), a wijk's buurten. Empty where the rule gives none
    (a provincie's gemeenten come from the lookup)."""
    level = level_of_code(code)
    if level == Level.GEMEENTE:
        return ("WK" + code[2:], "BU" + code[2:])
    if level == Level.WIJK:
        return ("BU" + code[2:],)
    return ()


def child_level(level: Level) -> Level | None:
    index = LEVEL_ORDER.index(level)
    return Level(LEVEL_ORDER[index + 1]) if index + 1 < len(LEVEL_ORDER) else None


# "3 wijken", "1 buurt": a count of areas of one level, in the user's language.
_COUNT_LABELS = {
    Level.LAND: lambda n: ngettext("%(count)s country", "%(count)s countries", n),
    Level.PROVINCIE: lambda n: ngettext("%(count)s province", "%(count)s provinces", n),
    Level.GEMEENTE: lambda n: ngettext("%(count)s municipality", "%(count)s municipalities", n),
    Level.WIJK: lambda n: ngettext("%(count)s district", "%(count)s districts", n),
    Level.BUURT: lambda n: ngettext("%(count)s neighbourhood", "%(count)s neighbourhoods", n),
}


def count_label(level: str, count: int) -> str:
    return _COUNT_LABELS[Level(level)](count) % {"count": count}
