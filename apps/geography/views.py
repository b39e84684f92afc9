from django.conf import settings
from django.http import FileResponse, Http404
from django.views.decorators.http import require_safe

CONTENT_TYPE = "application/geo+json"
# The file name carries a hash of its content, so it can be cached for good.
CACHE_CONTROL = "public, max-age=31536000, immutable"


@require_safe
def web_boundary_file(request, file_name: str):
    """Serve a simplified boundary file, gzipped when the client accepts it."""
    path = settings.GEO_WEB_ROOT / file_name
    gzipped = path.with_name(f"{file_name}.gz")
    accepts_gzip = _accepts_gzip(request.headers.get("Accept-Encoding", ""))
    if accepts_gzip and gzipped.is_file():
        response = FileResponse(open(gzipped, "rb"), content_type=CONTENT_TYPE)
        response["Content-Encoding"] = "gzip"
    elif path.is_file():
        response = FileResponse(open(path, "rb"), content_type=CONTENT_TYPE)
    else:
        raise Http404("no such boundary file")
    response["Cache-Control"] = CACHE_CONTROL
    response["Vary"] = "Accept-Encoding"
    return response


def _accepts_gzip(header: str) -> bool:
    """Whether an Accept-Encoding header allows gzip (``gzip;q=0`` forbids it)."""
    for item in header.split(","):
        coding, _, params = item.strip().partition(";")
        if coding.strip().lower() in ("gzip", "*"):
            quality = params.strip().removeprefix("q=").strip() if params.strip().startswith("q=") else "1"
            try:
                return float(quality) > 0
            except ValueError:
                return False
    return False
