"""A data steward's path in a real browser: upload a broken file and read its row errors, upload
a good one, confirm, follow the run to its release, publish it. Screenshots are kept."""

import csv
import shutil

import pytest
from django_otp.oath import totp

from apps.accounts.services import ensure_superuser, ensure_totp_device
from apps.geography import services as geography
from apps.releases.models import Release

from tests.browser.helpers import CHROMIUM, new_page, screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason=f"no Chromium at {CHROMIUM}"),
]


@pytest.fixture
def steward(transactional_db, tmp_path, settings):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    source = settings.DATA_DIR / "reference" / "gebiedsindeling_2024.csv"
    lookup = tmp_path / "gebiedsindeling_2024.csv"
    with open(source, newline="", encoding="utf-8") as reader, open(lookup, "w", newline="", encoding="utf-8") as out:
        rows = csv.DictReader(reader)
        writer = csv.DictWriter(out, fieldnames=rows.fieldnames)
        writer.writeheader()
        writer.writerows(row for row in rows if row["gemeentecode"] == "GM0308")
    geography.import_area_lookup(lookup, vintage=2024)
    user, _created = ensure_superuser(username="steward", password="steward-pass-2024")
    ensure_totp_device(user, key_hex=STEWARD_TOTP_KEY)
    return tmp_path


STEWARD_TOTP_KEY = "3132333435363738393031323334353637383930"


def test_steward_uploads_previews_confirms_and_publishes(steward, live_server, browser):
    bad = steward / "misdrijven_fout.csv"
    bad.write_text("regiocode,niveau,jaar,geregistreerde_misdrijven_totaal\nGM0308,gemeente,2024,veel\nBU9999XX99,buurt,2024,3\n")
    good = steward / "misdrijven_baarn.csv"
    good.write_text("regiocode,niveau,jaar,geregistreerde_misdrijven_totaal\nGM0308,gemeente,2024,1200\nBU03080000,buurt,2024,140\n")
    errors: list[str] = []
    page = new_page(browser, 1280, errors)
    # The admin sends stewards to the portal's login: password, then the code of their app.
    page.goto(live_server.url + "/admin/")
    assert "/account/login/" in page.url
    page.fill("#id_auth-username", "steward")
    page.fill("#id_auth-password", "steward-pass-2024")
    page.click("main button.btn-primary")
    page.fill("#id_token-otp_token", f"{totp(bytes.fromhex(STEWARD_TOTP_KEY)):06d}")
    page.click("main button.btn-primary")
    page.wait_for_url("**/admin/")

    page.goto(live_server.url + "/admin/sources/importrun/upload/")
    page.set_input_files("input[type=file]", str(bad))
    page.click("input[type=submit]")
    body = page.locator("#content").inner_text()
    assert "text 'veel' in a number field" in body
    assert "unknown area code BU9999XX99" in body
    screenshot(page, "steward-rejected-desktop")

    page.goto(live_server.url + "/admin/sources/importrun/upload/")
    page.set_input_files("input[type=file]", str(good))
    page.click("input[type=submit]")
    screenshot(page, "steward-preview-desktop")
    page.click("input[value^='Bevestigen'], input[value^='Confirm']")
    page.wait_for_selector("[data-field=release] a")
    screenshot(page, "steward-run-done-desktop")

    page.click("[data-field=release] a")
    page.click("input[type=submit]")
    page.wait_for_load_state()
    screenshot(page, "steward-release-published-desktop")
    assert Release.objects.get().is_current
    assert errors == []
