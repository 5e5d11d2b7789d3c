import json

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from . import services, throttle
from .forms import (
    CONSENT_TEXT,
    ChangePasswordForm,
    EmailAuthenticationForm,
    NewPasswordForm,
    ResendForm,
    ResetRequestForm,
    SignupForm,
    VerifyForm,
)
from .tokens import read_verification_token, verification_max_age


class LoginView(auth_views.LoginView):
    """Sign in by e-mail; without a `next`, a person lands in their own space."""

    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        return reverse("www:dashboard")


@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("www:dashboard")
    form = SignupForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        throttle.hit("signup", email=data["email"], ip=throttle.client_ip(request))
        services.candidate_signup(
            email=data["email"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            password=data["password1"],
            consent=str(CONSENT_TEXT),
        )
        # The same page whether the address was new or not: no one learns who has an account.
        request.session["signup_email"] = data["email"]
        return redirect("accounts:signup_done")
    return render(request, "accounts/signup.html", {"form": form})


def signup_done(request):
    return render(
        request,
        "accounts/signup_done.html",
        {"email": request.session.get("signup_email", ""), "days": verification_max_age().days},
    )


@never_cache
@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def verify(request, token):
    """Shows the confirmation form on GET, confirms on POST.

    Never on GET alone: mail filters open the links they see, and must not confirm an account.
    """
    check = read_verification_token(token)
    context = {"resend_form": ResendForm(), "days": verification_max_age().days}
    if check.status != "valid":
        return render(request, "accounts/verify_failed.html", {**context, "status": check.status}, status=400)
    user = check.user
    if not services.awaiting_verification(user):
        return render(request, "accounts/verify_failed.html", {**context, "status": "used"}, status=400)
    form = VerifyForm(request.POST or None, user=user, request=request)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.account_verify(user=user)
        except ValidationError:
            return render(request, "accounts/verify_failed.html", {**context, "status": "used"}, status=400)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Votre adresse est confirmée : bienvenue. Vous pouvez maintenant candidater."))
        return redirect("www:dashboard")
    return render(request, "accounts/verify.html", {"form": form, "account": user})


@require_http_methods(["GET", "POST"])
def verification_resend(request):
    form = ResendForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        throttle.hit("signup", email=form.cleaned_data["email"], ip=throttle.client_ip(request))
        services.verification_resend(email=form.cleaned_data["email"])
        request.session["signup_email"] = form.cleaned_data["email"]
        return redirect("accounts:signup_done")
    return render(request, "accounts/verification_resend.html", {"form": form})


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    form_class = ResetRequestForm
    success_url = reverse_lazy("accounts:password_reset_done")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = NewPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        awaiting = services.awaiting_verification(self.user)
        response = super().form_valid(form)
        if awaiting:
            # The link proved the mailbox and the password is now its owner's: the address is confirmed.
            services.account_verify(user=self.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change_form.html"
    form_class = ChangePasswordForm
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


@login_required
def my_data(request):
    data = services.personal_data_export(user=request.user)
    return render(request, "accounts/my_data.html", {"data": data})


@login_required
def my_data_download(request):
    data = services.personal_data_export(user=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    filename = f"mes-donnees-cqp-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
