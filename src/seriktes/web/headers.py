"""Security headers on every answer: a content security policy without inline scripts, no
framing, no MIME sniffing, a same-origin referrer, and HSTS in production.

Pages load scripts only from /static (no inline <script>, no on…= attributes); styles may
be inline ('unsafe-inline' for styles only): the score and progress bars set their widths
in style attributes, and a few pages carry a <style> block. Charts are data: images. The
API documentation page (Swagger UI) loads its script and styles from a CDN and starts with
an inline script, so it alone gets a policy that allows them.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
DOCS_CDN = "https://cdn.jsdelivr.net"
DOCS_POLICY = "; ".join(
    [
        "default-src 'self'",
        f"script-src 'self' 'unsafe-inline' {DOCS_CDN}",
        f"style-src 'self' 'unsafe-inline' {DOCS_CDN}",
        "img-src 'self' data: https://fastapi.tiangolo.com",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
    ]
)
HSTS = "max-age=31536000; includeSubDomains"


class SecurityHeaders:
    """ASGI middleware adding the security headers to every HTTP answer (unless a route set
    its own value of one, e.g. a stricter policy for a served document)."""

    def __init__(self, app: ASGIApp, docs_path: str | None, https: bool) -> None:
        self.app = app
        self.docs_path = docs_path
        self.fixed: list[tuple[str, str]] = [
            ("X-Frame-Options", "DENY"),
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "same-origin"),
        ]
        if https:
            self.fixed.append(("Strict-Transport-Security", HSTS))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = DOCS_POLICY if scope["path"] == self.docs_path else POLICY

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in [("Content-Security-Policy", policy), *self.fixed]:
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, with_headers)
