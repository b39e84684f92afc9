"""How a published figure reads on a page: its value in the visitor's language, its status in
words, its comparison in words. One place, so the pages, charts, map legends and downloads say
the same thing."""

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.disclosure.codes import SUPPRESSED
from apps.indicators.registry import IndicatorDefinition

STATUS_LABELS = {
    "V": gettext_lazy("published"),
    "A": gettext_lazy("secret: too few cases"),
    "B": gettext_lazy("secret: one or two dominate"),
    "T": gettext_lazy("secret: base too small"),
    "D": gettext_lazy("secret: protects another figure"),
    "S": gettext_lazy("secret at the source"),
    "N": gettext_lazy("not available"),
}
#: The legend of the status symbols: what each means for a reader (the methodology page says
#: more, under "Statuscodes").
STATUS_EXPLANATIONS = {
    "A": gettext_lazy("the figure rests on too few people, companies or cases: it could reveal one of them"),
    "B": gettext_lazy("one or a few contributors make up most of the figure: it would reveal something about them"),
    "T": gettext_lazy("the group a rate or share rests on is smaller than the indicator's minimum"),
    "D": gettext_lazy("safe itself, but withheld so that another secret figure cannot be worked out from it"),
    "S": gettext_lazy("kept secret by the source (CBS or the police)"),
    "N": gettext_lazy("the source has no figure (yet)"),
}
#: The order of the symbols in a legend: the rules' order, as on the methodology page.
STATUS_ORDER = ("A", "B", "T", "D", "S", "N")
#: What a suppressed cell shows where its value would be.
SECRET = gettext_lazy("secret")
NOT_AVAILABLE = gettext_lazy("n/a")
# The codes of withheld cells: the disclosure app's own set, not a copy of it.
SUPPRESSED_CODES = SUPPRESSED
SYNTHETIC = gettext_lazy("synthetic")

SIGNIFICANCE_LABELS = {
    "+": gettext_lazy("significantly higher"),
    "-": gettext_lazy("significantly lower"),
    "=": gettext_lazy("not significantly different"),
}

SIZE_LABELS = {
    "<10k": gettext_lazy("under 10,000 inhabitants"),
    "10k-20k": gettext_lazy("10,000 to 20,000 inhabitants"),
    "20k-50k": gettext_lazy("20,000 to 50,000 inhabitants"),
    "50k-100k": gettext_lazy("50,000 to 100,000 inhabitants"),
    ">=100k": gettext_lazy("100,000 inhabitants or more"),
    "<1k": gettext_lazy("under 1,000 inhabitants"),
    "1k-2.5k": gettext_lazy("1,000 to 2,500 inhabitants"),
    "2.5k-5k": gettext_lazy("2,500 to 5,000 inhabitants"),
    "5k-10k": gettext_lazy("5,000 to 10,000 inhabitants"),
    ">=10k": gettext_lazy("10,000 inhabitants or more"),
}
URBANITY_LABELS = {
    "1": gettext_lazy("very strongly urban"),
    "2": gettext_lazy("strongly urban"),
    "3": gettext_lazy("moderately urban"),
    "4": gettext_lazy("hardly urban"),
    "5": gettext_lazy("not urban"),
}


def decimals(definition: IndicatorDefinition) -> int:
    """Digits after the decimal sign: whole numbers for counts and amounts, one for rates and
    shares (a published rate rests on counts rounded to 5: more digits would be false precision)."""
    if definition.kind in ("count", "sum") or definition.unit.startswith("euro"):
        return 0
    return 1


def number(value: float | None, digits: int) -> str:
    if value is None:
        return ""
    return number_format(round(value, digits), digits, use_l10n=True, force_grouping=True)


def value_text(definition: IndicatorDefinition, value: float | None, status: str) -> str:
    """The value as a cell shows it, or the word for why there is none."""
    if value is not None and status not in SUPPRESSED_CODES:
        return number(value, decimals(definition))
    return str(SECRET if status in SUPPRESSED_CODES else NOT_AVAILABLE)


def status_text(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


def value_or_reason(definition: IndicatorDefinition, value: float | None, status: str) -> str:
    """The value, or why there is none in words ("secret: too few cases"): what a table cell
    shows, with the status symbol beside it."""
    if value is not None and status not in SUPPRESSED_CODES:
        return number(value, decimals(definition))
    if status in SUPPRESSED_CODES:
        return status_text(status)
    return str(NOT_AVAILABLE)


def status_symbol(value: float | None, status: str) -> str:
    """The status code a cell shows as a symbol: every cell without a published value has one."""
    if value is not None and status not in SUPPRESSED_CODES:
        return ""
    return status if status in STATUS_LABELS and status != "V" else "N"


def status_legend(symbols) -> list[dict]:
    """The legend of the symbols a page shows, in the rules' order."""
    return [{"code": code, "label": status_text(code), "explanation": str(STATUS_EXPLANATIONS[code])}
            for code in STATUS_ORDER if code in symbols]


def significance_text(sig: str) -> str:
    return str(SIGNIFICANCE_LABELS.get(sig, ""))


def index_text(index: float | None) -> str:
    return number(index, 0)


def change_text(change_pct: float | None, series_break: bool) -> str:
    if series_break:
        return _("series break")
    if change_pct is None:
        return ""
    sign = "+" if change_pct > 0 else ""
    return f"{sign}{number(change_pct, 1)}%"


def peer_group_text(peer_group: str) -> str:
    """``gemeente|3|20k-50k`` → "moderately urban, 20,000 to 50,000 inhabitants"."""
    parts = peer_group.split("|")
    if len(parts) != 3:
        return ""
    _level, urbanity, size = parts
    return f"{URBANITY_LABELS.get(urbanity, urbanity)}, {SIZE_LABELS.get(size, size)}"
