"""The reporter's rights under UU PDP (Law 27/2022): export, erasure, legal hold, retention.

Pure decisions (``scrub``, ``plan``) and thin I/O around them; each request is
recorded in ``rights_requests`` (who, when, what was done).
"""
