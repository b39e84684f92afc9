import pytest


@pytest.mark.django_db
def test_dutch_first_whatever_the_browser_asks(client):
    response = client.get("/zoeken/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert response["Content-Language"] == "nl"
    assert '<html lang="nl">' in response.content.decode()
    assert "Zoeken" in response.content.decode()


@pytest.mark.django_db
def test_english_when_chosen_with_the_language_switch(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/zoeken/"}, follow=True)

    assert response.redirect_chain[-1][0] == "/zoeken/"
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in response.content.decode()
    assert "Type the name or the CBS code" in response.content.decode()


@pytest.mark.django_db
def test_unknown_language_cookie_falls_back_to_dutch(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"

    response = client.get("/zoeken/")

    assert response["Content-Language"] == "nl"
