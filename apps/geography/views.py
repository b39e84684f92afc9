from django.conf import settings
from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET

CONTENT_TYPE = "application/geo+json"
# The file name carries a hash of its content, so it can be cached for good.
CACHE_CONTROL = "public, max-age=31536000, immutable"


@require_GET
def web_boundary_file(request, file_name: str):
    """Serve a simplified boundary file, gzipped when the client accepts it."""
    path = settings.GEO_WEB_ROOT / file_name
    gzipped = path.with_name(f"{file_name}.gz")
    accepts_gzip = "gzip" in request.headers.get("Accept-Encoding", "")
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
