"""The web chat channel: ``/chat`` for citizens without Telegram or WhatsApp.

Addresses are ``web:<128-bit random token>``, kept in an HttpOnly cookie.
Messages go in with a same-origin JSON POST and their replies come back in
its response; pushes (status changes) arrive live over server-sent events.
"""

from bot.http.webchat.router import install

__all__ = ["install"]
