"""The workspace in a real browser (issue 6, item 7): Debian's Chromium driven by Playwright, on
the test geography with a published release (tests/browser/release.py).

- An editor of Baarn (no second factor needed) logs in through the login form, writes a note
  from the public gemeente page and sees it beside the figures there, saves a comparison from
  the public compare page and reopens it from the workspace, shares a knowledge item with all
  organisations, uploads an own data layer, confirms it and sees it on the layer's map.
- An organisation admin of Baarn needs password AND the code of the authenticator app; a member
  of Amsterdam reads and comments on Baarn's shared knowledge item, and gets the 404 page for
  Baarn's organisation-only note, dashboard, layer and members page.
- On the way, axe-core (WCAG 2.0/2.1 A and AA) checks every workspace page type, the login page
  and the token step, in a context of its own that shares the session; the pages themselves
  load under the real CSP without script errors, CSP violations or failing requests.

Each test rebuilds the geography and a release (a live server starts from an empty database),
so there are few tests, each walking a long path. Screenshots go to test-output/screenshots/.
"""

import re
import shutil

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django_otp.oath import totp
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from apps.accounts.services import ensure_totp_device
from apps.datalayers import services as datalayers
from apps.datalayers.models import DataLayer
from apps.geography.models import Area
from apps.organisations.models import Role
from apps.organisations.services import create_organisation
from apps.workspaces import services as workspaces
from apps.workspaces.models import KnowledgeComment, KnowledgeItem, Note, SavedComparison, Visibility
from tests.browser.audit import (
    Watch,
    axe_source,
    axe_violations,
    describe_violations,
    horizontal_overflow,
    new_axe_page,
    wait_for_map,
)
from tests.browser.helpers import CHROMIUM, SCREENSHOTS, new_page, screenshot
from tests.browser.release import BAARN_GEMEENTE
from tests.organisations.conftest import make_member

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason=f"no Chromium at {CHROMIUM}"),
]

PASSWORD = "een-lang-wachtwoord"  # what tests/organisations/conftest.make_user gives everyone
ADMIN_TOTP_KEY = "3132333435363738393031323334353637383930"
AMERSFOORT = "GM0307"
DESKTOP, PHONE = 1280, 360


class Visitor:
    """One person's browser: a page under the real CSP (script errors, CSP violations and failing
    requests are collected) and, sharing its session, a page that lets axe-core past the CSP."""

    def __init__(self, browser, live_server, name: str, width: int = DESKTOP):
        self.url = live_server.url
        self.name = name
        self.errors: list[str] = []
        self.page = new_page(browser, width, self.errors)
        self.watch = Watch(self.url, self.errors)
        self.watch.attach(self.page)
        self.axe_errors: list[str] = []
        self.axe_page = new_axe_page(browser, width, self.axe_errors)
        self.source = axe_source()
        self.problems: list[str] = []
        self.reports: list[str] = []

    def open(self, path: str, status: int = 200):
        response = self.page.goto(self.url + path)
        assert response.status == status, f"{self.name}: {path} answered {response.status}, not {status}"
        self.settle()
        return response

    def settle(self) -> None:
        """Wait for the map (if any), then keep what went wrong on the page so far."""
        wait_for_map(self.page)
        self.problems += [f"{self.name} {self.page.url}: {problem}" for problem in self.watch.problems()]
        self.watch.reset()

    def log_in(self, username: str, password: str = PASSWORD, *, next_path: str = "/werkruimte/") -> None:
        """The first step of the login wizard: username and password."""
        self.open(f"/account/login/?next={next_path}")
        self.page.fill("#id_auth-username", username)
        self.page.fill("#id_auth-password", password)
        self.page.click("main button.btn-primary")
        self.page.wait_for_load_state()

    def arrive(self, url, what: str) -> None:
        """Wait until the page is at ``url`` (glob or regex); if it stays elsewhere, say what the
        page shows (a form's errors, say) instead of a bare time-out."""
        try:
            self.page.wait_for_url(url, timeout=15_000)
        except PlaywrightTimeout:
            summary = self.page.locator(".error-summary, .messages, main [role=alert]")
            shown = summary.all_inner_texts() if summary.count() else [self.page.locator("body").inner_text()[:800]]
            shown = " | ".join(" ".join(text.split()) for text in shown)
            raise AssertionError(f"{self.name}: {what} did not arrive; still at {self.page.url}, which shows: {shown}") from None
        self.settle()

    def share_session(self) -> None:
        self.axe_page.context.add_cookies(self.page.context.cookies())

    def audit(self, what: str, path: str | None = None, *, before=None) -> None:
        """axe-core on ``path`` (default: where the visitor is now), optionally after ``before``
        did something on the axe page (e.g. submitted a form empty)."""
        target = path or self.page.url.removeprefix(self.url)
        self.axe_page.goto(self.url + target)
        wait_for_map(self.axe_page)
        if not target.startswith("/account/login/"):
            assert "/account/login/" not in self.axe_page.url, f"axe page of {self.name} not logged in for {target}"
        if before is not None:
            before(self.axe_page)
        violations = axe_violations(self.axe_page, self.source)
        if violations:
            self.reports.append(describe_violations(f"{what} ({target})", violations))

    def shot(self, name: str) -> None:
        screenshot(self.page, f"workspace-{name}")

    def findings(self) -> list[str]:
        """Everything found wrong so far: script errors and CSP violations, axe-core's reports."""
        self.settle()
        found = [f"{self.name}: script error on the axe page: {error}" for error in self.axe_errors]
        found += self.problems
        if self.reports:
            found.append("axe-core (WCAG 2.0/2.1 A+AA) found violations:\n" + "\n".join(self.reports))
        return found

    def assert_clean(self) -> None:
        found = self.findings()
        assert not found, "\n".join(found)


def baarn_and_amsterdam():
    baarn = create_organisation(name="Gemeente Baarn", slug="baarn", kind="gemeente", area_code=BAARN_GEMEENTE)
    amsterdam = create_organisation(name="Gemeente Amsterdam", slug="amsterdam", kind="gemeente", area_code="GM0363")
    return baarn, amsterdam


def named(user, first: str, last: str):
    user.first_name, user.last_name = first, last
    user.save(update_fields=["first_name", "last_name"])
    return user


def submit_empty(page) -> None:
    page.click("form.item-form button[type=submit]")
    page.wait_for_load_state()


def baarn_buurten(count: int) -> list[str]:
    codes = Area.objects.filter(vintage=2024, level="buurt", code__startswith="BU0308").order_by("code")
    return list(codes.values_list("code", flat=True)[:count])


# ---------------------------------------------------------------- the editor's path


def upload_and_see_layer(eva: "Visitor", baarn, layer_file, layer_values: dict[str, int]) -> None:
    """Upload a CSV of own figures, check the preview, confirm it, see it on the layer's map."""
    eva.open("/werkruimte/lagen/nieuw/")
    eva.audit("layer upload form")
    eva.page.fill("#id_title", "Sluitingen")
    eva.page.fill("#id_unit", "sluitingen")
    eva.page.check("input[name=level][value=buurt]")
    eva.page.set_input_files("#id_file", str(layer_file))
    eva.shot("layer-upload-desktop")
    eva.page.click("form.layer-form button[type=submit]")
    eva.arrive(re.compile(r".*/werkruimte/lagen/\d+/$"), "the layer upload")
    layer = DataLayer.objects.get()
    assert layer.status == DataLayer.Status.PREVIEW, layer.problems
    assert eva.page.locator("main table tbody tr").count() == len(layer_values)
    eva.shot("layer-preview-desktop")
    eva.audit("layer preview")
    eva.page.click(f'form[action="/werkruimte/lagen/{layer.pk}/bevestigen/"] button')
    eva.arrive(f"**/werkruimte/lagen/{layer.pk}/", "the confirmed layer")
    layer.refresh_from_db()
    assert layer.status == DataLayer.Status.ACTIVE and not layer.is_shared
    areas_on_map = eva.page.locator("#area-map path").count()
    assert areas_on_map >= len(layer_values), f"the buurten of Baarn on the layer's map: {areas_on_map}"
    assert eva.page.locator("#map-legend .legend__items li").count() >= 2
    for code, value in layer_values.items():
        row = eva.page.locator(f"tr#area-{code}")
        assert row.locator("td").nth(1).inner_text() == str(value), f"{code}: {row.inner_text()}"
    eva.page.locator("#area-map").scroll_into_view_if_needed()
    eva.shot("layer-map-desktop")
    eva.audit("layer page")



def test_editor_writes_compares_shares_and_uploads(published_release, live_server, browser, tmp_path):
    baarn, _amsterdam = baarn_and_amsterdam()
    editor = named(make_member(baarn, Role.EDITOR), "Eva", "de Redacteur")
    buurten = baarn_buurten(4)
    layer_values = dict(zip(buurten, (3, 7, 12, 1)))
    layer_file = tmp_path / "sluitingen_baarn.csv"
    layer_file.write_text("gebiedscode;jaar;waarde\n" + "".join(f"{code};2024;{value}\n" for code, value in layer_values.items()))

    failures: list[str] = []  # what went wrong, reported together at the end
    eva = Visitor(browser, live_server, "editor")
    eva.audit("login page", "/account/login/")

    # Login without a second factor: password only, straight on to the workspace.
    eva.open("/account/login/?next=/werkruimte/")
    eva.page.fill("#id_auth-username", editor.username)
    eva.page.fill("#id_auth-password", PASSWORD)
    eva.shot("login-desktop")
    eva.page.click("main button.btn-primary")
    eva.arrive(f"**/werkruimte/organisatie/{baarn.slug}/", "login without a second factor")
    eva.share_session()
    assert eva.page.locator("h1").inner_text() == "Gemeente Baarn"
    assert eva.page.locator("#area-map path").count() == 5, "the wijken of Baarn on the dashboard's map"
    assert eva.page.locator("#zoek-heading").count() == 1
    eva.shot("dashboard-desktop")
    eva.audit("dashboard")

    # A note from the public gemeente page, seen beside the figures when back.
    eva.open(f"/gemeente/{BAARN_GEMEENTE}/")
    notes = eva.page.locator(".workspace-notes")
    assert notes.count() == 1, "a logged-in member sees the notes part of the public page"
    assert notes.locator(".workspace-note").count() == 0
    notes.locator("a.button").click()
    eva.arrive("**/werkruimte/notities/nieuw/**", "the note form from the public page")
    assert eva.page.input_value("#id_area_code") == BAARN_GEMEENTE
    assert eva.page.is_checked(f"input[name=visibility][value={Visibility.ORGANISATION}]")
    eva.page.fill("#id_body", "**Opvallend**: veel meldingen in *Centrum*.\n\n- navragen bij de wijkagent\n- opnieuw bekijken in 2025")
    eva.shot("note-form-desktop")
    eva.audit("note form submitted empty", "/werkruimte/notities/nieuw/", before=submit_empty)
    assert eva.axe_page.locator(".form-field__error").count() >= 2, "the empty note form shows its errors"
    screenshot(eva.axe_page, "workspace-note-form-errors-desktop")
    eva.page.click("form.item-form button[type=submit]")
    eva.arrive(f"**/gemeente/{BAARN_GEMEENTE}/", "back on the public page after saving the note")
    note = Note.objects.get()
    assert (note.organisation, note.author, note.visibility) == (baarn, editor, Visibility.ORGANISATION)
    beside = eva.page.locator(".workspace-notes .workspace-note")
    assert beside.count() == 1
    assert beside.locator("strong").inner_text() == "Opvallend", "markdown rendered beside the figures"
    assert "navragen bij de wijkagent" in beside.locator("li").first.inner_text()
    beside.scroll_into_view_if_needed()
    eva.shot("note-beside-figures-desktop")
    beside.locator(f'a[href="/werkruimte/notities/{note.pk}/"]').click()
    eva.arrive(f"**/werkruimte/notities/{note.pk}/", "the note from beside the figures")
    assert eva.page.locator(".item__body strong").inner_text() == "Opvallend"
    eva.shot("note-detail-desktop")
    eva.audit("note detail")

    # A comparison saved from the public compare page, reopened from the workspace.
    eva.open(f"/vergelijk/?gebied={BAARN_GEMEENTE}&gebied={AMERSFOORT}&thema=drugs")
    eva.shot("compare-public-desktop")
    rows = eva.page.locator("#compare-table tbody tr").count()
    assert eva.page.locator(".workspace-save a").count() == 1, f"no 'Save this comparison' ({rows} rows compared)"
    eva.page.click(".workspace-save a")
    eva.arrive("**/werkruimte/vergelijkingen/nieuw/**", "the comparison form from the compare page")
    assert eva.page.is_checked(f"input[name=area_codes][value={BAARN_GEMEENTE}]")
    assert eva.page.is_checked(f"input[name=area_codes][value={AMERSFOORT}]")
    eva.page.fill("#id_title", "Baarn naast Amersfoort")
    eva.shot("comparison-form-desktop")
    eva.audit("comparison form")
    eva.page.click("form.item-form button[type=submit]")
    eva.arrive(re.compile(r".*/werkruimte/vergelijkingen/\d+/$"), "the saved comparison")
    saved = SavedComparison.objects.get()
    assert saved.area_codes == [BAARN_GEMEENTE, AMERSFOORT]
    eva.open("/werkruimte/vergelijkingen/")
    eva.shot("comparison-list-desktop")
    eva.page.click("main a:text-is('Baarn naast Amersfoort')")
    eva.arrive(f"**/werkruimte/vergelijkingen/{saved.pk}/", "the comparison reopened from the list")
    assert eva.page.locator("h1").inner_text() == "Baarn naast Amersfoort"
    table = eva.page.locator("table.comparison-table")
    assert table.locator("thead th").count() == 2 + 2, "indicator, year, and a column per area"
    assert table.locator("tbody tr").count() >= 1
    assert "Amersfoort" in table.locator("thead").inner_text()
    eva.shot("comparison-detail-desktop")
    eva.audit("comparison detail")

    # A knowledge item shared with all organisations.
    eva.open("/werkruimte/kennis/nieuw/")
    eva.page.check(f"input[name=kind][value={KnowledgeItem.Kind.APPROACH}]")
    eva.page.fill("#id_title", "Integrale controle van bedrijfspanden")
    eva.page.fill("#id_body", "Samen met politie en Belastingdienst, **één keer per kwartaal**.")
    eva.page.check("input[name=themes][value=vastgoed]")
    eva.page.check(f"input[name=visibility][value={Visibility.SHARED}]")
    eva.shot("knowledge-form-desktop")
    eva.audit("knowledge form")
    eva.page.click("form.item-form button[type=submit]")
    eva.arrive(re.compile(r".*/werkruimte/kennis/\d+/$"), "the shared knowledge item")
    item = KnowledgeItem.objects.get()
    assert (item.organisation, item.visibility) == (baarn, Visibility.SHARED)
    assert eva.page.locator(".item__body strong").inner_text() == "één keer per kwartaal"
    eva.shot("knowledge-detail-desktop")
    eva.audit("knowledge detail")
    eva.open("/werkruimte/kennis/")
    assert eva.page.locator(f'main a[href="/werkruimte/kennis/{item.pk}/"]').count() == 1
    eva.shot("knowledge-list-desktop")
    eva.audit("knowledge list")

    # The dashboard on a phone: no sideways scroll.
    phone = Visitor(browser, live_server, "editor on a phone", width=PHONE)
    phone.page.context.add_cookies(eva.page.context.cookies())
    phone.open(f"/werkruimte/organisatie/{baarn.slug}/")
    assert phone.page.locator("h1").inner_text() == "Gemeente Baarn"
    phone.shot("dashboard-phone")
    # The map alone, once Leaflet has finished fitting it (a full-page shot resizes the viewport).
    phone.page.locator("#area-map").scroll_into_view_if_needed()
    phone.page.wait_for_timeout(800)
    phone.page.locator("#area-map").screenshot(path=str(SCREENSHOTS / "workspace-dashboard-map-phone.png"))
    scroll_width, offenders = horizontal_overflow(phone.page, PHONE)
    if scroll_width > PHONE + 1:
        failures.append(f"the dashboard scrolls sideways at {PHONE} px (scrollWidth {scroll_width}): {offenders}")

    # An own data layer: upload, check the preview, confirm, see it on the map.
    try:
        upload_and_see_layer(eva, baarn, layer_file, layer_values)
    except (AssertionError, PlaywrightError) as failure:
        failures.append(f"the own data layer path failed: {failure}")

    failures += phone.findings() + eva.findings()
    assert not failures, "\n\n".join(failures)


# ---------------------------------------------------------------- two factors, and another gemeente


def test_admin_needs_two_factors_and_another_gemeente_is_refused(published_release, live_server, browser):
    baarn, amsterdam = baarn_and_amsterdam()
    admin = named(make_member(baarn, Role.ADMIN), "Anne", "Beheer")
    ensure_totp_device(admin, key_hex=ADMIN_TOTP_KEY)
    editor = named(make_member(baarn, Role.EDITOR), "Eva", "de Redacteur")
    outsider = named(make_member(amsterdam, Role.MEMBER), "Ahmed", "Amsterdammer")
    note = workspaces.write_note(user=editor, organisation=baarn, area_code=BAARN_GEMEENTE,
                                 body="Alleen voor Baarn: *vertrouwelijk*.", visibility=Visibility.ORGANISATION)
    item = workspaces.share_knowledge(user=editor, organisation=baarn, kind=KnowledgeItem.Kind.LESSON,
                                      title="Wat we leerden van de Bestuurlijke aanpak", body="Begin **vroeg**.",
                                      themes=["vastgoed"], visibility=Visibility.SHARED)
    code = baarn_buurten(1)[0]
    layer = datalayers.upload_layer(
        user=editor, organisation=baarn, title="Inspecties", level="buurt",
        uploaded=SimpleUploadedFile("inspecties.csv", f"gebiedscode;jaar;waarde\n{code};2024;4\n".encode()),
    )
    datalayers.confirm_layer(user=editor, layer=layer)

    # The organisation admin: the password alone leads to the token step, not the workspace.
    anne = Visitor(browser, live_server, "admin")
    anne.log_in(admin.username, next_path=f"/werkruimte/organisatie/{baarn.slug}/leden/")
    assert "/account/login/" in anne.page.url
    assert anne.page.locator("#id_token-otp_token").is_visible(), "the token step follows the password"
    anne.settle()
    anne.shot("login-token-step-desktop")
    # axe on the token step, in the axe context (its own wizard, stopped before the token).
    anne.axe_page.goto(anne.url + "/account/login/")
    anne.axe_page.fill("#id_auth-username", admin.username)
    anne.axe_page.fill("#id_auth-password", PASSWORD)
    anne.axe_page.click("main button.btn-primary")
    anne.axe_page.wait_for_selector("#id_token-otp_token")
    violations = axe_violations(anne.axe_page, anne.source)
    if violations:
        anne.reports.append(describe_violations("login token step (/account/login/)", violations))
    anne.page.fill("#id_token-otp_token", f"{totp(bytes.fromhex(ADMIN_TOTP_KEY)):06d}")
    anne.page.click("main button.btn-primary")
    anne.arrive(f"**/werkruimte/organisatie/{baarn.slug}/leden/", "login with the second factor")
    anne.share_session()
    members = anne.page.locator("table.members-table tbody tr")
    assert members.count() == 2
    assert "Eva de Redacteur" in " ".join(members.all_inner_texts())
    assert anne.page.locator("#invite-heading").count() == 1, "an admin may invite"
    anne.shot("members-desktop")
    anne.audit("members page")

    # A member of another gemeente: reads and comments on Baarn's shared knowledge item ...
    ahmed = Visitor(browser, live_server, "member of Amsterdam")
    ahmed.log_in(outsider.username)
    ahmed.arrive(f"**/werkruimte/organisatie/{amsterdam.slug}/", "login of the Amsterdam member")
    ahmed.share_session()
    ahmed.open("/werkruimte/kennis/")
    ahmed.page.click(f'main a[href="/werkruimte/kennis/{item.pk}/"]')
    ahmed.arrive(f"**/werkruimte/kennis/{item.pk}/", "the knowledge item of Baarn, from the list")
    assert ahmed.page.locator(".item__body strong").inner_text() == "vroeg"
    ahmed.page.fill("#id_body", "Herkenbaar. Wij doen dit *ook*.")
    ahmed.page.click("#comments form button[type=submit]")
    ahmed.arrive(re.compile(rf".*/werkruimte/kennis/{item.pk}/#comment-\d+$"), "the comment")
    comment = KnowledgeComment.objects.get()
    assert (comment.item, comment.organisation, comment.author) == (item, amsterdam, outsider)
    assert ahmed.page.locator(f"#comment-{comment.pk} em").inner_text() == "ook"
    ahmed.shot("knowledge-comment-other-gemeente-desktop")
    ahmed.audit("knowledge detail with a comment")

    # ... does not see Baarn's organisation-only note beside the public figures ...
    ahmed.open(f"/gemeente/{BAARN_GEMEENTE}/")
    assert "vertrouwelijk" not in ahmed.page.locator("main").inner_text()

    # ... and gets the 404 page for Baarn's own items and pages.
    with translation.override("nl"):
        not_found = translation.gettext("Page not found")
    for what, path in (
        ("note", f"/werkruimte/notities/{note.pk}/"),
        ("dashboard", f"/werkruimte/organisatie/{baarn.slug}/"),
        ("layer", f"/werkruimte/lagen/{layer.pk}/"),
        ("members", f"/werkruimte/organisatie/{baarn.slug}/leden/"),
    ):
        ahmed.open(path, status=404)
        assert ahmed.page.url == ahmed.url + path, f"{path} was sent on to {ahmed.page.url}"
        page_text = ahmed.page.locator("main").inner_text()
        assert "vertrouwelijk" not in page_text and "Inspecties" not in page_text and "Eva" not in page_text
        assert ahmed.page.locator("h1").inner_text() == not_found, f"{path}: not the 404 page"
        ahmed.shot(f"refused-{what}-desktop")
    ahmed.audit("the 404 page", f"/werkruimte/notities/{note.pk}/")

    anne.assert_clean()
    ahmed.assert_clean()
