"""Openness: what lapor-chat shows the public, speaks as Open311, and forwards upstream.

Every public output (the transparency page, the open-data API, Open311, CSV)
is built from ``privacy.PublicComplaint``: nothing reaches the public without
going through ``bot.openness.privacy``.
"""
