import html
import re

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_counters():
    """The sign-in and reset counters live in the cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()


def link_in(message, path_start: str) -> str:
    """The link of an e-mail that starts with this path, as a path the test client can open."""
    match = re.search(r"https?://[^/\s]+(" + re.escape(path_start) + r"[^\s\"<]*)", message.body)
    assert match, f"no link to {path_start} in:\n{message.body}"
    return match.group(1)


def text(response) -> str:
    return html.unescape(response.content.decode())


def make_user(email="personne@exemple.fr", password="mot-de-passe-solide", **extra):  # noqa: S107
    """A saved account with a password (factories that skip the save leave the stored one empty)."""
    from cqp.accounts.models import User

    return User.objects.create_user(email, password, first_name=extra.pop("first_name", "Camille"), **extra)
