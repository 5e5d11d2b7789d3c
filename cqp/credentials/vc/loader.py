"""Offline JSON-LD document loader for pyld: serves only pinned context files, never the network.

Each loader keeps its own resolved-context cache, handed to pyld through `options()`, so that contexts are
parsed and processed once per process and so that a loader with extra test contexts never lends them to
another loader through pyld's module-wide cache.
"""

import copy
import json
from functools import cache
from pathlib import Path

from cachetools import LRUCache
from pyld.context_resolver import ContextResolver
from pyld.jsonld import JsonLdError

CONTEXTS_DIR = Path(__file__).resolve().parent / "contexts"
CONTEXT_MAP = CONTEXTS_DIR / "context-map.json"


class UnknownContextError(JsonLdError):
    """A document asked for a URL that is not one of the pinned contexts."""

    def __init__(self, url):
        super().__init__(
            f"Context not allowed: unknown context {url!r} (only pinned contexts are loaded, never the network).",
            "jsonld.LoadDocumentError",
            {"url": url},
            code="loading document failed",
        )
        self.url = url


def shipped_contexts() -> dict[str, Path]:
    """URL -> file of the contexts shipped with the package."""
    mapping = json.loads(CONTEXT_MAP.read_text(encoding="utf-8"))
    return {url: CONTEXTS_DIR / name for url, name in mapping.items() if not url.startswith("_")}


class OfflineLoader:
    """A pyld `documentLoader(url, options)` over a fixed URL -> file map."""

    def __init__(self, paths: dict[str, Path]):
        self.paths = dict(paths)
        self._documents: dict[str, object] = {}
        # Resolved contexts, keyed by URL or canonical JSON of inline contexts (as pyld's own cache).
        self.resolved_cache = LRUCache(maxsize=256)

    @property
    def urls(self) -> frozenset[str]:
        return frozenset(self.paths)

    def document(self, url: str):
        if not isinstance(url, str) or url not in self.paths:
            raise UnknownContextError(url)
        if url not in self._documents:
            self._documents[url] = json.loads(Path(self.paths[url]).read_text(encoding="utf-8"))
        return self._documents[url]

    def __call__(self, url, options=None):
        return {
            "contentType": "application/ld+json",
            "contextUrl": None,
            "documentUrl": url,
            # A copy: pyld rewrites relative @context URLs in place.
            "document": copy.deepcopy(self.document(url)),
            # "static" lets the resolver keep the processed context in our cache.
            "tag": "static",
        }

    def options(self, **extra) -> dict:
        """pyld options that use this loader and its context cache."""
        return {
            "documentLoader": self,
            "contextResolver": ContextResolver(self.resolved_cache, self),
            **extra,
        }


@cache
def default_loader() -> OfflineLoader:
    return OfflineLoader(shipped_contexts())


def make_loader(extra: dict[str, str | Path] | None = None) -> OfflineLoader:
    """The loader of the shipped contexts, plus `extra` (URL -> file path) when given (tests only)."""
    if not extra:
        return default_loader()
    paths = shipped_contexts()
    paths.update({url: Path(path) for url, path in extra.items()})
    return OfflineLoader(paths)


def is_unknown_context(error: BaseException) -> str | None:
    """The URL when `error`, or one of its causes, is an UnknownContextError."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, UnknownContextError):
            return error.url
        error = error.__cause__ or error.__context__
    return None
