"""API of this domain: see docs/api.md."""


def register(router):
    """Add this module's viewsets to the API router."""
