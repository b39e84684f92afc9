import pytest


@pytest.fixture(autouse=True)
def private_storage(tmp_path, settings):
    """Raw uploads go to a folder of the test's own, never to the project's var/private."""
    root = tmp_path / "private"
    settings.PRIVATE_STORAGE_ROOT = root
    return root
