"""Page-number pagination: `?page=2&page_size=50`, at most 100 per page.

Responses keep DRF's shape (`count`, `next`, `previous`, `results`). `page=last` is the last
page. A malformed `page` or `page_size` is a 400 with a message per parameter; a page past
the end is a 404.
"""

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

PAGE_MESSAGE = "Page invalide : attendu un nombre entier à partir de 1. / Invalid page: expected a whole number from 1."
PAGE_SIZE_MESSAGE = (
    "Taille de page invalide : attendu un nombre de 1 à 100. / Invalid page_size: expected a number from 1 to 100."
)


class PagePagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 100
    invalid_page_message = "Page inexistante : {page_number}. / No such page: {page_number}."
    page_query_description = "Numéro de page, à partir de 1, ou `last`. / Page number, from 1, or `last`."

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

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param, "").strip()
        if raw == "":
            return 1
        if raw in self.last_page_strings:
            return paginator.num_pages
        if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
            raise ValidationError({self.page_query_param: [PAGE_MESSAGE]})
        return int(raw)

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param, "").strip()
        if raw == "":
            return self.page_size
        if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError({self.page_size_query_param: [PAGE_SIZE_MESSAGE]})
        return int(raw)
