"""The own-data tests read messages in English (the msgids), so they do not depend on the Dutch
catalogue: services speak the active language, pages the one of the language cookie."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def client(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
