from tests.support.webchat import make_runtime  # noqa: F401
