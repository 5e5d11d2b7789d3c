from django.contrib.auth import views as auth_views
from django.urls import reverse

from .forms import EmailAuthenticationForm


class LoginView(auth_views.LoginView):
    """Sign in by e-mail; without a `next`, a person lands in their own space."""

    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        return reverse("www:dashboard")
