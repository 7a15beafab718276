from tests.webchat.support import make_runtime  # noqa: F401
