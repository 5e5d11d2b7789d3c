"""Token authentication for other systems: `Authorization: Token <key>` or `Authorization: Bearer <key>`."""

from rest_framework.authentication import TokenAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

MALFORMED = (
    "En-tête Authorization invalide : attendu « Token <clé> » ou « Bearer <clé> ». / "
    'Invalid Authorization header: expected "Token <key>" or "Bearer <key>".'
)
UNKNOWN = "Jeton inconnu ou révoqué. / Unknown or revoked token."
INACTIVE = "Compte désactivé. / Account disabled."


class TokenOrBearerAuthentication(TokenAuthentication):
    """rest_framework.authtoken keys, sent with either keyword.

    Put it before session authentication in a view's `authentication_classes`: DRF answers 401
    (with a `WWW-Authenticate` challenge) only when the first class gives a challenge; otherwise 403.
    """

    keywords = (b"token", b"bearer")

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in self.keywords:
            return None  # no token: let the next class (session) or anonymity decide
        if len(parts) != 2:
            raise AuthenticationFailed(MALFORMED)
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise AuthenticationFailed(MALFORMED) from exc
        return self.authenticate_credentials(key)

    def authenticate_credentials(self, key):
        token = self.get_model().objects.select_related("user").filter(key=key).first()
        if token is None:
            raise AuthenticationFailed(UNKNOWN)
        if not token.user.is_active:
            raise AuthenticationFailed(INACTIVE)
        return token.user, token
