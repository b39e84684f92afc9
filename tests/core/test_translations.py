"""Dutch is the portal's first language: every string in the catalogue has its translation."""

import shutil
import subprocess

import pytest
from django.conf import settings

CATALOGUE = settings.BASE_DIR / "locale" / "nl" / "LC_MESSAGES" / "django.po"


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="gettext's msgfmt is not installed")
def test_dutch_catalogue_is_complete_and_valid():
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(CATALOGUE)],
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stderr
    assert "translated messages" in result.stderr
    assert "untranslated" not in result.stderr
    assert "fuzzy" not in result.stderr
