"""The headers every page of the web app is served with (the chat page and the trainer's desk)."""
from __future__ import annotations

# The pages load nothing from elsewhere and run no inline script: a stray HTML injection can't run.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
                    "Referrer-Policy": "no-referrer", "Cache-Control": "no-cache"}
