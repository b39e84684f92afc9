"""Who reads which workspace item, what notes may contain, and what a saved comparison says
changed. Every selector is tried as the author, a colleague, a member of another gemeente, a
user of no organisation and an anonymous visitor."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from apps.organisations.models import Role
from apps.releases.models import PublishedValue, Release
from apps.workspaces import markdown, selectors, services
from apps.workspaces.models import Visibility
from tests.organisations.conftest import (  # noqa: F401
    amsterdam, baarn, colleague, make_member, make_user, people,
)

INDICATOR = "aankopen_zonder_hypotheek"



def readers(people, colleague):  # noqa: F811
    return {
        "author": people["editor"], "colleague": colleague, "other_gemeente": people["other_admin"],
        "no_organisation": people["stranger"], "anonymous": AnonymousUser(),
    }


EXPECTED = {
    Visibility.PRIVATE: {"author"},
    Visibility.ORGANISATION: {"author", "colleague"},
    Visibility.SHARED: {"author", "colleague", "other_gemeente"},
}


@pytest.mark.parametrize("visibility", list(Visibility))
def test_notes_are_read_by_whom_their_visibility_says(baarn, people, colleague, visibility):  # noqa: F811
    note = services.write_note(user=people["editor"], organisation=baarn, area_code="GM0308", indicator=INDICATOR,
                               year=2024, body="Opvallend veel aankopen zonder hypotheek.", visibility=visibility)
    for who, user in readers(people, colleague).items():
        can_read = who in EXPECTED[visibility]
        assert (selectors.note(user, note.pk) is not None) == can_read, who
        assert selectors.notes(user, area_code="GM0308", indicator=INDICATOR).filter(pk=note.pk).exists() == can_read, who


@pytest.mark.parametrize("visibility", [Visibility.PRIVATE, Visibility.ORGANISATION])
def test_saved_comparisons_stay_inside_the_organisation(baarn, people, colleague, visibility):  # noqa: F811
    release = Release.objects.create(number=1, status=Release.Status.PUBLISHED, is_current=True)
    saved = services.save_comparison(user=people["editor"], organisation=baarn, title="Baarn en buren",
                                     area_codes=["GM0308", "GM0307"], indicators=[INDICATOR], years=[2024],
                                     release=release, visibility=visibility)
    for who, user in readers(people, colleague).items():
        assert (selectors.comparison(user, saved.pk) is not None) == (who in EXPECTED[visibility]), who
    with pytest.raises(ValidationError):
        services.save_comparison(user=people["editor"], organisation=baarn, title="x", area_codes=["GM0308"],
                                 indicators=[INDICATOR], years=[2024], release=release, visibility=Visibility.SHARED)


def test_knowledge_is_shared_with_other_gemeenten_and_they_may_comment(baarn, amsterdam, people, colleague):  # noqa: F811
    item = services.share_knowledge(user=people["editor"], organisation=baarn, kind="approach",
                                    title="Integrale controle", body="Wat werkte bij ons.", themes=["drugs", "nope"])
    assert item.themes == ["drugs"]
    assert selectors.knowledge(people["other_admin"], theme="drugs").filter(pk=item.pk).exists()
    assert not selectors.knowledge(people["other_admin"], theme="vastgoed").exists()
    services.comment(user=people["other_admin"], organisation=amsterdam, item=item, body="Herkenbaar!")
    assert item.comments.count() == 1
    with pytest.raises(PermissionDenied):
        services.comment(user=people["other_admin"], organisation=baarn, item=item, body="Namens Baarn?")
    assert selectors.knowledge_item(people["stranger"], item.pk) is None
    assert selectors.knowledge_item(AnonymousUser(), item.pk) is None


def test_knowledge_needs_an_editor_and_notes_a_member_of_that_organisation(baarn, amsterdam, people, colleague):  # noqa: F811
    with pytest.raises(PermissionDenied):
        services.share_knowledge(user=colleague, organisation=baarn, kind="lesson", title="t", body="b", themes=[])
    with pytest.raises(PermissionDenied):
        services.write_note(user=people["other_admin"], organisation=baarn, area_code="GM0308", body="Namens Baarn")
    with pytest.raises(PermissionDenied):
        services.write_note(user=people["stranger"], organisation=baarn, area_code="GM0308", body="?")
    with pytest.raises(ValidationError):
        services.write_note(user=colleague, organisation=baarn, area_code="Baarn", body="geen code")
    with pytest.raises(ValidationError):
        services.write_note(user=colleague, organisation=baarn, area_code="GM0308", indicator="bestaat-niet", body="x")


def test_markdown_keeps_formatting_and_drops_anything_active():
    html = markdown.render(
        "**vet** en [link](https://example.nl) en [x](javascript:alert(1))\n\n"
        "<script>alert(1)</script><img src=x onerror=alert(1)>\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    )
    assert "<strong>vet</strong>" in html
    assert 'href="https://example.nl"' in html and 'rel="noopener noreferrer nofollow"' in html
    # Raw HTML comes out as text, a javascript: link as no link at all.
    assert 'href="javascript' not in html and "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html
    assert "<table>" in html


def test_reopening_a_comparison_marks_what_changed_since_it_was_saved(baarn, people):  # noqa: F811
    first = Release.objects.create(number=1, status=Release.Status.PUBLISHED, is_current=True)
    for area, value in (("GM0308", 20.0), ("GM0307", 30.0)):
        PublishedValue.objects.create(release=first, indicator=INDICATOR, area_code=area, vintage=2024, year=2024,
                                      value=value, status="V")
    saved = services.save_comparison(user=people["editor"], organisation=baarn, title="t",
                                     area_codes=["GM0308", "GM0307"], indicators=[INDICATOR], years=[2024],
                                     release=first)
    second = Release.objects.create(number=2, status=Release.Status.PUBLISHED)
    PublishedValue.objects.create(release=second, indicator=INDICATOR, area_code="GM0308", vintage=2024, year=2024,
                                  value=25.0, status="V")
    PublishedValue.objects.create(release=second, indicator=INDICATOR, area_code="GM0307", vintage=2024, year=2024,
                                  value=None, status="D")
    current = services.snapshot(second, area_codes=saved.area_codes, indicators=saved.indicators, years=saved.years)
    changes = {c["area_code"]: (c["before"], c["after"]) for c in selectors.changes_since_saved(saved, current)}
    assert changes == {"GM0308": ([20.0, "V"], [25.0, "V"]), "GM0307": ([30.0, "V"], [None, "D"])}
    assert selectors.changes_since_saved(saved, saved.snapshot) == []
