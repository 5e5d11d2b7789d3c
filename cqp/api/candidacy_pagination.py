"""Cursor pagination of the candidacy list: newest first, no COUNT(*), no OFFSET.

A certifier may hold tens of thousands of candidacies: counting them, or skipping rows to reach
page 500, at every request would cost more than the page. The cursor says where the previous
page stopped (a creation time); each page is one indexed range read of `page_size + 1` rows.
Responses are `{"next", "previous", "results"}`: follow `next` until it is null.
"""

from base64 import b64decode
from binascii import Error as Base64Error
from urllib import parse

from django.utils.dateparse import parse_datetime
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import Cursor, CursorPagination

from .pagination import PAGE_SIZE_MESSAGE

CURSOR_MESSAGE = (
    "Curseur invalide : reprenez le lien `next` ou `previous` d'une réponse tel quel. / "
    "Invalid cursor: use a response's `next` or `previous` link as it is."
)


class CandidacyCursorPagination(CursorPagination):
    ordering = ("-created_at", "-id")
    page_size_query_param = "page_size"
    max_page_size = 100
    cursor_query_description = (
        "Position donnée par le lien `next` ou `previous` d'une réponse. / Position given by a response's links."
    )

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param, "").strip()
        if raw == "":
            return self.page_size
        if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError({self.page_size_query_param: [PAGE_SIZE_MESSAGE]})
        return int(raw)

    def decode_cursor(self, request):
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded is None:
            return None
        try:
            tokens = parse.parse_qs(b64decode(encoded.encode("ascii"), validate=True).decode("ascii"))
            offset = int(tokens.get("o", ["0"])[0])
            reverse = bool(int(tokens.get("r", ["0"])[0]))
            position = tokens.get("p", [None])[0]
            if not 0 <= offset <= self.offset_cutoff:
                raise ValueError(offset)
            # The position is compared with created_at: anything but a date-time would fail in the database.
            if position is not None and parse_datetime(position) is None:
                raise ValueError(position)
        except (TypeError, ValueError, UnicodeError, Base64Error) as exc:
            raise ValidationError({self.cursor_query_param: [CURSOR_MESSAGE]}) from exc
        return Cursor(offset=offset, reverse=reverse, position=position)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_page_size}
                parameter["description"] = (
                    f"Résultats par page, de 1 à {self.max_page_size} ({self.page_size} par défaut). "
                    f"/ Results per page, from 1 to {self.max_page_size} ({self.page_size} by default)."
                )
        return parameters
