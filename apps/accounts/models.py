from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """The portal's user. Its own model from the start, so organisations and roles can be
    added later without a swap of AUTH_USER_MODEL."""
