"""Cheap brakes on guessing passwords and on mail bombing, counted in the cache per address and per IP.

With the default local-memory cache each process counts on its own; with REDIS_URL the count is shared.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache

WINDOW_SECONDS = 15 * 60
# (per address, per IP) within the window.
LIMITS = {"login": (5, 30), "reset": (3, 20), "signup": (3, 20)}


def _keys(action: str, *, email: str, ip: str) -> list[tuple[str, int]]:
    per_address, per_ip = getattr(settings, "ACCOUNT_THROTTLE_LIMITS", LIMITS)[action]
    # Hashed: the cache never holds an address in clear.
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    return [(f"throttle:{action}:email:{digest}", per_address), (f"throttle:{action}:ip:{ip}", per_ip)]


def client_ip(request) -> str:
    # Behind a proxy, the deployment sets REMOTE_ADDR from the trusted header (see docs/deploy.md).
    return request.META.get("REMOTE_ADDR", "") if request is not None else ""


def is_blocked(action: str, *, email: str, ip: str) -> bool:
    return any(cache.get(key, 0) >= limit for key, limit in _keys(action, email=email, ip=ip))


def hit(action: str, *, email: str, ip: str) -> None:
    for key, _limit in _keys(action, email=email, ip=ip):
        if cache.add(key, 1, WINDOW_SECONDS):
            continue
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, WINDOW_SECONDS)


def clear(action: str, *, email: str, ip: str) -> None:
    """After a successful sign-in the address starts afresh; the IP keeps its count."""
    cache.delete(_keys(action, email=email, ip=ip)[0][0])
