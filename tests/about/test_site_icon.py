"""The site's icon (issue 14, item 11): every page links it, and /favicon.ico, which browsers and
other clients ask for whatever a page links, leads to it instead of a 404."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static

pytestmark = pytest.mark.django_db

ICON = "img/favicon.svg"


def test_favicon_ico_leads_to_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code in (301, 302), response.status_code
    assert response["Location"] == static(ICON)
    assert finders.find(ICON), "the icon is a static file of the portal"


@pytest.mark.parametrize("path", ["/methode/", "/privacy/", "/api/v1/docs/", "/gemeente/GM9999/"])
def test_every_page_links_the_icon(client, path):
    page = client.get(path).content.decode()
    icons = re.findall(r'<link rel="icon" href="([^"]+)"[^>]*>', page)
    assert icons == [static(ICON)], icons


def test_the_icon_is_an_svg_with_a_title():
    with open(finders.find(ICON), encoding="utf-8") as icon:
        text = icon.read()
    assert text.startswith("<svg") and 'xmlns="http://www.w3.org/2000/svg"' in text
    assert "<title>Zicht</title>" in text
