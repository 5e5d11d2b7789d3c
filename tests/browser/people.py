"""People of the browser journeys: a known password, and a browser context of their own, signed in."""

from cqp.accounts.models import User

PASSWORD = "mot-de-passe-solide"


def with_password(user):
    user = User.objects.get(pk=user.pk)
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return user


def signed_in(chromium, live_server, user):
    """A browser context of its own for this person, signed in: (context, page)."""
    context = chromium.new_context(locale="fr-FR", base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill(user.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/espace/")
    return context, page
