"""Who may read which workspace item: the one place it is decided.

An item is visible to its author (always), to members of its organisation when shared with the
organisation, and to members of any organisation when shared with all. Anonymous visitors see
nothing. A lookup by id that the user may not read returns None, so views answer 404 and a
guessed id tells nothing."""

from django.db.models import Q, QuerySet

from apps.organisations.models import Organisation

from .models import KnowledgeComment, KnowledgeItem, Note, SavedComparison, Visibility


def _visible(user) -> Q | None:
    if not getattr(user, "is_authenticated", False):
        return None
    organisations = Organisation.objects.filter(memberships__user=user)
    condition = Q(author=user) | Q(visibility=Visibility.ORGANISATION, organisation__in=organisations)
    if organisations.exists():
        condition |= Q(visibility=Visibility.SHARED)
    return condition


def _scoped(model, user) -> QuerySet:
    condition = _visible(user)
    if condition is None:
        return model.objects.none()
    return model.objects.filter(condition)


def notes(user, *, area_code: str = "", indicator: str = "") -> QuerySet[Note]:
    found = _scoped(Note, user).select_related("organisation", "author")
    if area_code:
        found = found.filter(area_code=area_code)
    if indicator:
        found = found.filter(indicator=indicator)
    return found


def note(user, pk: int) -> Note | None:
    return _scoped(Note, user).filter(pk=pk).first()


def comparisons(user) -> QuerySet[SavedComparison]:
    return _scoped(SavedComparison, user).select_related("organisation", "author")


def comparison(user, pk: int) -> SavedComparison | None:
    return _scoped(SavedComparison, user).filter(pk=pk).first()


def knowledge(user, *, theme: str = "") -> QuerySet[KnowledgeItem]:
    found = _scoped(KnowledgeItem, user).select_related("organisation", "author")
    if theme:
        # JSON containment is not on SQLite; themes are few, so filter in Python's stead by id.
        ids = [item.pk for item in found if theme in item.themes]
        found = found.filter(pk__in=ids)
    return found


def knowledge_item(user, pk: int) -> KnowledgeItem | None:
    return _scoped(KnowledgeItem, user).filter(pk=pk).first()


def changes_since_saved(comparison: SavedComparison, current: dict) -> list[dict]:
    """What differs between the values saved with a comparison and ``current`` (same keys:
    "indicator|area|year" → [value, status]): changed values, newly withheld or newly
    published cells, and cells that appeared or disappeared."""
    out = []
    for key in sorted(set(comparison.snapshot) | set(current)):
        before, after = comparison.snapshot.get(key), current.get(key)
        if before == after:
            continue
        indicator, area, year = key.split("|")
        out.append({"indicator": indicator, "area_code": area, "year": int(year), "before": before, "after": after})
    return out


# ---------------------------------------------------------------- the workspace pages


NOTE_SCOPES = ("mine", "organisation", "shared")


def member_organisation(user, slug: str):
    """The organisation with this slug when ``user`` is a member of it, else None (→ 404)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Organisation.objects.filter(slug=slug, memberships__user=user).first()


def notes_in_scope(user, *, scope: str = "", area_code: str = "", indicator: str = "") -> QuerySet[Note]:
    """The notes ``user`` may read, narrowed to "mine", "organisation" (written within one of the
    user's organisations) or "shared" (shared with all member organisations)."""
    found = notes(user, area_code=area_code, indicator=indicator)
    if scope == "mine":
        found = found.filter(author=user)
    elif scope == "organisation":
        found = found.filter(organisation__memberships__user=user)
    elif scope == "shared":
        found = found.filter(visibility=Visibility.SHARED)
    return found.distinct()


def comments_readable(user) -> QuerySet[KnowledgeComment]:
    """Comments on the knowledge items ``user`` may read (a comment is as visible as its item)."""
    return KnowledgeComment.objects.filter(item__in=_scoped(KnowledgeItem, user).values("pk")).select_related(
        "item", "organisation", "author"
    )


def comments_of(item: KnowledgeItem) -> QuerySet[KnowledgeComment]:
    """The comments on an item the caller has already looked up through ``knowledge_item``."""
    return item.comments.select_related("organisation", "author")
