"""Headers and request checks shared by the web chat and the demo pages.

The pages load nothing but this origin's own files (no CDN, no inline
script), and every state-changing request must come from this origin as JSON:
a cross-site form cannot send ``application/json`` and a cross-site fetch
carries its own ``Origin``.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import Request
from starlette.responses import Response

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'self'"
)
PAGE_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def same_origin(request: Request, public_url: str) -> bool:
    """True for a JSON request whose ``Origin`` is this server (as reached, or as published)."""
    origin = (request.headers.get("origin") or "").lower()
    if not origin or origin == "null":
        return False
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/json":
        return False
    host = request.headers.get("host", "")
    return origin in {f"{request.url.scheme}://{host}".lower(), _origin(public_url)}


def set_cookie(response: Response, name: str, value: str, *, path: str, secure: bool, max_age: int) -> None:
    """A cookie the page's scripts cannot read and other sites cannot send."""
    response.set_cookie(
        name, value, max_age=max_age, path=path, secure=secure, httponly=True, samesite="strict"
    )
