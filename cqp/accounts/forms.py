"""Forms of the account pages. They read and check input; the services write."""

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import services, throttle
from .models import User

THROTTLED = _(
    "Trop de tentatives en peu de temps. Attendez un quart d'heure avant de réessayer, ou demandez un nouveau "
    "mot de passe."
)

CONSENT_TEXT = _(
    "J'ai lu comment la plateforme utilise mes données personnelles et je l'accepte : elle garde mon nom, "
    "mon prénom, mon adresse e-mail et ce que je déclare dans mes candidatures, pour instruire mes "
    "candidatures et délivrer mes certifications, et seulement le temps que la loi demande. Je peux les "
    "consulter et les télécharger à tout moment depuis « Mes données »."
)


PASSWORD_HELP = _("Au moins 10 caractères, pas seulement des chiffres, ni trop proche de votre nom ou adresse.")


def _email_field(**kwargs):
    return forms.EmailField(
        label=_("Adresse e-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Saisissez une adresse e-mail complète, par exemple prenom.nom@exemple.fr.")},
        **kwargs,
    )


class EmailAuthenticationForm(AuthenticationForm):
    """Sign in with an e-mail address, whatever its case (addresses are stored in lower case)."""

    username = forms.EmailField(
        label=_("Adresse e-mail"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Adresse e-mail ou mot de passe incorrect. Vérifiez l'adresse, puis le mot de passe "
            "(les majuscules comptent)."
        ),
        "throttled": THROTTLED,
    }

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()

    def clean(self):
        email = self.cleaned_data.get("username")
        ip = throttle.client_ip(self.request)
        if email and throttle.is_blocked("login", email=email, ip=ip):
            raise ValidationError(self.error_messages["throttled"], code="throttled")
        try:
            cleaned = super().clean()
        except ValidationError:
            if email:
                throttle.hit("login", email=email, ip=ip)
            raise
        if email:
            throttle.clear("login", email=email, ip=ip)
        return cleaned


class SignupForm(forms.Form):
    email = _email_field(help_text=_("Vous y recevrez le lien qui confirme votre inscription."))
    first_name = forms.CharField(
        label=_("Prénom"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Nom de naissance"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
        help_text=_("Celui qui figurera sur votre certificat."),
    )
    password1 = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=PASSWORD_HELP,
    )
    password2 = forms.CharField(
        label=_("Mot de passe, une seconde fois"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    consent = forms.BooleanField(
        label=CONSENT_TEXT,
        error_messages={"required": _("Cochez la case pour accepter l'usage de vos données personnelles.")},
    )

    def __init__(self, *args, request=None, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_first_name(self):
        return self.cleaned_data["first_name"].strip()

    def clean_last_name(self):
        return self.cleaned_data["last_name"].strip()

    def clean(self):
        cleaned = super().clean()
        email = cleaned.get("email")
        if email and throttle.is_blocked("signup", email=email, ip=throttle.client_ip(self.request)):
            raise ValidationError(THROTTLED, code="throttled")
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("Les deux mots de passe ne sont pas identiques : saisissez-les à nouveau."))
        elif password1:
            candidate = User(
                email=email or "", first_name=cleaned.get("first_name", ""), last_name=cleaned.get("last_name", "")
            )
            try:
                password_validation.validate_password(password1, candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class VerifyForm(forms.Form):
    """The password chosen at sign-up: only who chose it and holds the mailbox opens the account."""

    password = forms.CharField(
        label=_("Mot de passe choisi à l'inscription"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, request=None, **kwargs):
        self.user, self.request = user, request
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        ip = throttle.client_ip(self.request)
        if throttle.is_blocked("login", email=self.user.email, ip=ip):
            raise ValidationError(THROTTLED, code="throttled")
        if not self.user.check_password(password):
            throttle.hit("login", email=self.user.email, ip=ip)
            raise ValidationError(
                _(
                    "Ce n'est pas le mot de passe choisi à l'inscription. Vérifiez les majuscules, ou choisissez-en "
                    "un nouveau."
                ),
                code="wrong_password",
            )
        return password


class ResendForm(forms.Form):
    email = _email_field()

    def __init__(self, *args, request=None, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if throttle.is_blocked("signup", email=email, ip=throttle.client_ip(self.request)):
            raise ValidationError(THROTTLED, code="throttled")
        return email


class ResetRequestForm(PasswordResetForm):
    """Django's reset request, sent through the tasks queue, open to accounts awaiting confirmation.

    An account awaiting confirmation may reset its password: the link proves the mailbox, the new
    password is its owner's, so setting it confirms the address too (see the confirm view).
    """

    email = _email_field()

    def __init__(self, *args, request=None, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if throttle.is_blocked("reset", email=email, ip=throttle.client_ip(self.request)):
            raise ValidationError(THROTTLED, code="throttled")
        return email

    def get_users(self, email):
        for user in User.objects.filter(email__iexact=email):
            if user.has_usable_password() and (user.is_active or services.awaiting_verification(user)):
                yield user

    def save(self, **kwargs):
        email = self.cleaned_data["email"]
        throttle.hit("reset", email=email, ip=throttle.client_ip(self.request))
        services.password_reset_request(users=list(self.get_users(email)))


class _PlainPasswordHelp:
    """Django's help lists the validators in HTML; one plain sentence reads better in our forms."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = PASSWORD_HELP
        self.fields["new_password2"].label = _("Nouveau mot de passe, une seconde fois")


class NewPasswordForm(_PlainPasswordHelp, SetPasswordForm):
    pass


class ChangePasswordForm(_PlainPasswordHelp, PasswordChangeForm):
    pass
