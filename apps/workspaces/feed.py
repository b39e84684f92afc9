"""The news feed of a workspace: what colleagues and other gemeenten added that the user may
read, and the releases published since, with what changed in the gemeente.

Only reads. Which items a user may read is decided by ``selectors`` (never here); releases are
public, and their change counts are computed from published values only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from apps.dashboards import pages
from apps.dashboards import selectors as dashboards
from apps.geography import selectors as geography
from apps.indicators import registry
from apps.organisations.models import Organisation
from apps.releases import selectors as reader
from apps.releases import services as releases
from apps.releases.cache import per_release
from apps.releases.models import Release

from . import selectors

#: How many of the newest items of each kind the feed considers: a feed is read from the top.
PER_KIND = 200


@dataclass
class Entry:
    kind: str  # note, knowledge, comment, comparison, release
    when: datetime
    title: str
    url: str
    who: str = ""
    organisation: str = ""
    release: Release | None = None
    changes: dict | None = None


def person(user) -> str:
    if user is None:
        return _("a former user")
    return user.get_full_name() or user.username


def note_title(note, names: dict[str, str]) -> str:
    parts = [names.get(note.area_code, note.area_code)]
    if note.indicator:
        definition = registry.find(note.indicator)
        parts.append(pages.name(definition) if definition else note.indicator)
    if note.year:
        parts.append(str(note.year))
    return ", ".join(parts)


def entries(user, organisation: Organisation) -> list[Entry]:
    """Everything for the feed of ``organisation`` as ``user`` sees it, newest first. The user's
    own items are left out: the feed is about what others did. Release change counts are not
    computed here (see ``with_release_changes``), so only the page shown pays for them."""
    out: list[Entry] = []
    notes = list(selectors.notes(user).exclude(author=user).order_by("-created_at")[:PER_KIND])
    names = dashboards.names_of(vintage=geography.default_vintage(), codes=sorted({n.area_code for n in notes}))
    for note in notes:
        out.append(Entry("note", note.created_at, note_title(note, names),
                         reverse("workspaces:note", args=[note.pk]), person(note.author), note.organisation.name))
    for item in selectors.knowledge(user).exclude(author=user).order_by("-created_at")[:PER_KIND]:
        out.append(Entry("knowledge", item.created_at, item.title, reverse("workspaces:knowledge-item", args=[item.pk]),
                         person(item.author), item.organisation.name))
    for comment in selectors.comments_readable(user).exclude(author=user).order_by("-created_at")[:PER_KIND]:
        out.append(Entry("comment", comment.created_at, comment.item.title,
                         reverse("workspaces:knowledge-item", args=[comment.item_id]) + f"#comment-{comment.pk}",
                         person(comment.author), comment.organisation.name))
    for saved in selectors.comparisons(user).exclude(author=user).order_by("-created_at")[:PER_KIND]:
        out.append(Entry("comparison", saved.created_at, saved.title, reverse("workspaces:comparison", args=[saved.pk]),
                         person(saved.author), saved.organisation.name))
    published = Release.objects.filter(status=Release.Status.PUBLISHED, published_at__isnull=False)
    for release in published.order_by("-published_at")[:PER_KIND]:
        out.append(Entry("release", release.published_at, _("Release %(number)s published") % {"number": release.number},
                         "", release=release))
    out.sort(key=lambda entry: entry.when, reverse=True)
    return out


def with_release_changes(page_entries: list[Entry], organisation: Organisation) -> list[Entry]:
    """Fill in, for the release entries of one page, how many published values of the
    organisation's gemeente (and its wijken and buurten) changed against the release before."""
    if organisation.kind != Organisation.Kind.GEMEENTE or not organisation.area_code:
        return page_entries
    for entry in page_entries:
        if entry.kind == "release":
            entry.changes = changes_in_gemeente(entry.release, organisation.area_code)
    return page_entries


def previous_release(release: Release) -> Release | None:
    return (
        Release.objects.filter(status=Release.Status.PUBLISHED, number__lt=release.number)
        .order_by("-number").first()
    )


def changes_in_gemeente(release: Release, code: str) -> dict:
    """``releases.services.compare`` of a release and the published one before it, limited to one
    gemeente with its wijken and buurten (kept per release: a release never changes)."""

    def compute():
        before = previous_release(release)
        if before is None:
            return {"first": True, **dict.fromkeys(releases.CHANGE_KEYS, 0)}
        counts = releases.compare(reader.frame(release.pk, within_gemeente=code),
                                  reader.frame(before.pk, within_gemeente=code))
        return {"first": False, "previous": before.number, **counts}

    return per_release(release, f"feed-changes:{code}", compute)
