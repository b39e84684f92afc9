import pytest


@pytest.mark.django_db
def test_unknown_area_gets_a_dutch_page_not_found(client):
    response = client.get("/gemeente/GM9999/")

    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="nl">' in html
    assert "Pagina niet gevonden" in html
    assert 'id="site-search-q"' in html  # the way on: search from the error page


def test_server_error_page_needs_no_context():
    from django.template.loader import get_template

    html = get_template("500.html").render({})

    assert "Er ging iets mis" in html
