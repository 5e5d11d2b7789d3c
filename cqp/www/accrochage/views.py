"""The certifier's accrochage page: holders to complete, the file to produce, the files produced and the
revocations to correct on the Caisse des Dépôts' space. Certifier staff only; anything else is a 404."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cqp.accrochage import services
from cqp.accrochage.models import AccrochageAccount, AccrochageFile
from cqp.awards.models import Award
from cqp.candidacies import identity
from cqp.candidacies.models import Candidate
from cqp.candidacies.selectors import staff_certifier_ids
from cqp.catalogue.models import Certifier
from cqp.www.candidate.forms import IdentityForm

from .forms import PeriodForm


def _certifiers(user):
    certifiers = list(Certifier.objects.filter(pk__in=staff_certifier_ids(user)).order_by("name"))
    if not certifiers:
        raise Http404(_("Page introuvable."))
    return certifiers


def _default_period():
    # The three months the law gives to declare: the last full quarter of days up to today.
    today = timezone.localdate()
    return today - datetime.timedelta(days=90), today


def _period_form(request, certifiers, data):
    start, end = _default_period()
    initial = {"certifier": certifiers[0].pk, "start": start, "end": end}
    form = PeriodForm(data or None, certifiers=certifiers, initial=initial)
    if form.is_valid():
        cleaned = form.cleaned_data
        certifier = next(c for c in certifiers if c.pk == cleaned["certifier"])
        return form, certifier, cleaned["start"], cleaned["end"]
    if data:
        return form, None, None, None
    return form, certifiers[0], start, end


@login_required
@require_safe
def accrochage_home(request):
    certifiers = _certifiers(request.user)
    form, certifier, start, end = _period_form(request, certifiers, request.GET if "start" in request.GET else None)
    context = {"form": form, "certifier": certifier}
    if certifier is not None:
        context |= {
            "start": start,
            "end": end,
            "account": AccrochageAccount.objects.filter(certifier=certifier).first(),
            "to_declare": services.to_declare(certifier=certifier, start=start, end=end).count(),
            "missing": services.accrochage_missing(certifier=certifier, start=start, end=end),
            "to_correct": list(services.to_correct(certifier=certifier)),
            "files": list(
                AccrochageFile.objects.filter(certifier=certifier)
                .select_related("created_by")
                .order_by("-created_at")[:50]
            ),
            "query": urlencode({"certifier": certifier.pk, "start": start.isoformat(), "end": end.isoformat()}),
        }
    return render(request, "www/accrochage/home.html", context)


@login_required
@require_POST
def accrochage_produce(request):
    certifiers = _certifiers(request.user)
    form, certifier, start, end = _period_form(request, certifiers, request.POST)
    if certifier is None:
        messages.error(request, _("Période invalide."))
        return redirect("www:accrochage")
    try:
        record = services.accrochage_build(certifier=certifier, start=start, end=end, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Fichier produit : %(count)d délivrance(s) déclarée(s). Déposez-le sur l'espace de la Caisse des Dépôts.")
            % {"count": record.count},
        )
    query = urlencode({"certifier": certifier.pk, "start": start.isoformat(), "end": end.isoformat()})
    return redirect(f"{reverse('www:accrochage')}?{query}")


@login_required
@require_safe
def accrochage_download(request, pk):
    record = get_object_or_404(AccrochageFile, pk=pk, certifier_id__in=staff_certifier_ids(request.user))
    return FileResponse(
        record.file.open("rb"), as_attachment=True, filename=record.filename, content_type="application/xml"
    )


@login_required
@require_http_methods(["GET", "POST"])
def holder_identity(request, pk):
    """The certifier's staff complete a holder's identity from the identity document in the candidacy."""
    candidate = get_object_or_404(
        Candidate.objects.filter(candidacies__certifier_id__in=staff_certifier_ids(request.user)).distinct(), pk=pk
    )
    form = IdentityForm(request.POST or None, instance=candidate)
    back = request.GET.get("retour", "")
    back = back if back.startswith("certifier=") else ""
    if request.method == "POST" and form.is_valid():
        identity.candidate_identity_update(
            candidate=candidate,
            by=request.user,
            reason=_("Complétée par le certificateur pour la déclaration à la Caisse des Dépôts."),
            **{name: form.cleaned_data[name] for name in form.Meta.fields},
        )
        messages.success(request, _("Identité de %(name)s enregistrée.") % {"name": candidate})
        return redirect(f"{reverse('www:accrochage')}?{back}" if back else "www:accrochage")
    return render(request, "www/accrochage/holder.html", {"form": form, "candidate": candidate, "back": back})


@login_required
@require_POST
def mark_corrected(request, pk):
    award = get_object_or_404(Award, pk=pk, certifier_id__in=staff_certifier_ids(request.user))
    try:
        services.accrochage_mark_corrected(award=award, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Correction de %(number)s enregistrée.") % {"number": award.number})
    return redirect("www:accrochage")
