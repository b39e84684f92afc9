import pytest
from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns

SECRET = "an internal detail that must never reach a visitor"


def _broken_view(request):
    raise RuntimeError(SECRET)


# The portal's own addresses and one view that fails (the test below uses this module as URLconf).
urlpatterns = [path("stuk/", _broken_view), *portal_urlpatterns]


@pytest.mark.django_db
def test_unknown_area_gets_a_dutch_page_not_found(client):
    response = client.get("/gemeente/GM9999/")

    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="nl">' in html
    assert "Pagina niet gevonden" in html
    assert 'id="site-search-q"' in html  # the way on: search from the error page


@pytest.mark.django_db
def test_an_unknown_address_gets_the_portals_page_not_found_and_no_list_of_urls(client, settings):
    settings.DEBUG = False

    response = client.get("/bestaat/niet/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "Pagina niet gevonden" in html
    assert "URLconf" not in html and "URL patterns" not in html


@pytest.mark.urls(__name__)
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading"), [("nl", "Er ging iets mis"), ("en", "Something went wrong")]
)
def test_a_failing_view_gets_the_portals_server_error_page_without_a_traceback(client, settings, language, heading):
    settings.DEBUG = False
    client.raise_request_exception = False
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    response = client.get("/stuk/")

    assert response.status_code == 500
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert heading in html
    # The site's look: its stylesheet, header and search.
    assert 'rel="stylesheet" href="/static/css/zicht.css"' in html
    assert 'id="site-search-q"' in html
    assert SECRET not in html and "Traceback" not in html and "RuntimeError" not in html
    # Drawn without the request, so no form that would need its CSRF token (a 403 on submit),
    # and no "Log in" for someone who may be logged in.
    assert "csrfmiddlewaretoken" not in html and 'class="language-switch"' not in html
    assert 'class="account-links"' not in html


def test_server_error_page_needs_no_context():
    from django.template.loader import get_template
    from django.utils import translation

    with translation.override("nl"):
        html = get_template("500.html").render({})

    assert "Er ging iets mis" in html
