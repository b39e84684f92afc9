from .models import Release


def current_release() -> Release | None:
    return Release.objects.filter(is_current=True).first()


def release_list():
    return Release.objects.order_by("-number")
