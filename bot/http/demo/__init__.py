"""Demo mode: the whole journey on one laptop, with no tokens and no internet.

``lapor demo`` runs on its own embedded database with seeded agencies, a demo
officer and sample complaints, and serves ``/demo``: three simulated phones
(Telegram, WhatsApp, SMS, each rendered by its channel's own renderer) beside
the officers' dashboard.
"""
