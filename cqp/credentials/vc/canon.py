"""RDFC-1.0 (URDNA2015) canonicalisation through pyld with the offline loader, and the detection of JSON
properties that JSON-LD expansion drops (they would not be signed)."""

from pyld.jsonld import JsonLdProcessor

from .loader import OfflineLoader, default_loader

_KEYWORD_PREFIX = "@"


class _TrackingProcessor(JsonLdProcessor):
    """A pyld processor that records, with their JSON path, the properties expansion drops and the type or
    id values that stay relative IRIs (to_rdf leaves those triples out)."""

    def __init__(self):
        super().__init__(on_property_dropped=self._dropped)
        self._path: list[str] = []
        self.dropped: list[str] = []

    def _where(self, name: str) -> str:
        return ".".join([*self._path, name])

    def _dropped(self, expanded_property):
        # pyld hands over the expanded key; undefined terms come back unchanged, null-mapped ones as None.
        self.dropped.append(self._where(expanded_property if expanded_property else "?"))

    def _expand(self, active_ctx, active_property, element, options, *args, **kwargs):
        if not isinstance(element, dict) or active_property is None:
            result = super()._expand(active_ctx, active_property, element, options, *args, **kwargs)
            if isinstance(element, dict):
                self._check_node(result)
            return result
        self._path.append(str(active_property))
        try:
            result = super()._expand(active_ctx, active_property, element, options, *args, **kwargs)
            self._check_node(result)
            return result
        finally:
            self._path.pop()

    def _check_node(self, node):
        if not isinstance(node, dict) or "@value" in node:
            return
        for value in node.get("@type", []) if isinstance(node.get("@type"), list) else [node.get("@type")]:
            if isinstance(value, str) and not _is_absolute_or_blank(value):
                self.dropped.append(self._where(f"type={value}"))
        node_id = node.get("@id")
        if isinstance(node_id, str) and not _is_absolute_or_blank(node_id):
            self.dropped.append(self._where(f"id={node_id}"))


def _is_absolute_or_blank(iri: str) -> bool:
    if iri.startswith("_:") or iri.startswith(_KEYWORD_PREFIX):
        return True
    scheme, sep, _ = iri.partition(":")
    return bool(sep) and scheme[:1].isalpha() and all(c.isalnum() or c in "+-." for c in scheme)


def canonize_with_drops(document: dict, loader: OfflineLoader | None = None) -> tuple[str, list[str]]:
    """Canonical N-Quads of `document` and the dropped properties, from a single expansion."""
    loader = loader or default_loader()
    processor = _TrackingProcessor()
    nquads = processor.normalize(
        document, loader.options(algorithm="URDNA2015", format="application/n-quads", base=None)
    )
    return nquads, processor.dropped


def canonize(document: dict, loader: OfflineLoader | None = None) -> str:
    """RDFC-1.0 canonical N-Quads of a JSON-LD document, contexts from the offline loader only."""
    return canonize_with_drops(document, loader)[0]


def dropped_terms(document: dict, loader: OfflineLoader | None = None) -> list[str]:
    """JSON properties (as paths, e.g. `credentialSubject.foo`) that JSON-LD expansion drops, and type/id
    values left as relative IRIs: none of them would be covered by a signature."""
    loader = loader or default_loader()
    processor = _TrackingProcessor()
    processor.expand(document, loader.options(base=None))
    return processor.dropped
