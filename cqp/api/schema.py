"""OpenAPI details drf-spectacular cannot infer: the token scheme and the error responses."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from rest_framework import serializers

from .pagination import PAGE_SIZE_MESSAGE


class TokenOrBearerScheme(OpenApiAuthenticationExtension):
    target_class = "cqp.api.authentication.TokenOrBearerAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "Jeton d'un système appelant : « Token <clé> » ou « Bearer <clé> ». "
                '/ A calling system\'s token: "Token <key>" or "Bearer <key>".'
            ),
        }


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="Message en français puis en anglais. / French, then English.")


def parameter_errors(*examples):
    """400 on bad query parameters: one list of messages per parameter name."""
    examples = [*examples, ("page_size", PAGE_SIZE_MESSAGE)]
    return OpenApiResponse(
        response={"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
        description="Paramètre invalide : un message par paramètre. / Invalid parameter: one message per parameter.",
        examples=[
            OpenApiExample(
                f"{name} invalide / invalid {name}",
                value={name: [message]},
                status_codes=["400"],
                response_only=True,
            )
            for name, message in examples
        ],
    )


def list_responses(serializer_class, *examples):
    return {
        200: serializer_class(many=True),
        400: parameter_errors(*examples),
        404: OpenApiResponse(ErrorSerializer, description="Page au-delà de la dernière. / Page past the last one."),
    }


def not_found(description):
    return OpenApiResponse(ErrorSerializer, description=description)
