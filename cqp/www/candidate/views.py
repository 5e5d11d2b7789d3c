"""The candidate's space: their candidacies, their certificates and attestations, and applying for a
certification."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cqp.awards.models import Award
from cqp.candidacies import enrolment, identity
from cqp.candidacies.enums import Path, Situation
from cqp.candidacies.models import Candidate
from cqp.candidacies.selectors import candidacies_visible_to, exempted_block_codes
from cqp.capitalisation import selectors as capitalisation
from cqp.catalogue.models import Certification
from cqp.credentials import openbadges
from cqp.juries.documents import html_to_pdf
from cqp.www.candidacies import forms as candidacy_forms
from cqp.www.candidacies import timeline
from cqp.www.jurysession import award_documents

from . import forms


@login_required
def candidate_home(request):
    candidacies = list(
        candidacies_visible_to(request.user)
        .filter(candidate__user=request.user)
        .select_related("certification", "candidate")
    )
    for candidacy in candidacies:
        candidacy.next_step = timeline.NEXT_FOR_CANDIDATE.get(candidacy.state, "")
    awards = list(
        _own_awards(request.user)
        .select_related("certification", "document")
        .prefetch_related("blocks")
        .order_by("-delivered_on", "-pk")
    )
    for award in awards:
        award.document_state = award_documents.document_state(award)
        award.verification_url = openbadges.verification_url(award)
    context = {"candidacies": candidacies, "awards": awards, **capitalisation_context(request.user)}
    return render(request, "www/candidate/home.html", context)


def _own_awards(user):
    """The awards whose holder is the person signed in, and no one else's."""
    return Award.objects.filter(candidacy__candidate__user=user)


def _own_award_in_force_or_404(user, uuid):
    award = _own_awards(user).filter(uuid=uuid, revoked_at=None).select_related("document").first()
    if award is None:
        raise Http404(_("Aucun certificat ni attestation de ce numéro parmi les vôtres."))
    return award


@login_required
@require_GET
def award_document_pdf(request, uuid):
    return award_documents.pdf_response(_own_award_in_force_or_404(request.user, uuid))


@login_required
@require_GET
def award_credential_json(request, uuid):
    return award_documents.credential_response(_own_award_in_force_or_404(request.user, uuid))


@login_required
@require_http_methods(["GET", "POST"])
def candidacy_apply(request):
    code = request.GET.get("certification", "").strip()
    choice = candidacy_forms.CertificationChoiceForm(request.GET if code else None)
    if not (code and choice.is_valid()):
        return render(request, "www/candidate/choose_certification.html", {"choice": choice})
    certification = choice.cleaned_data["certification"]
    periods = candidacy_forms.periods_formset()
    form = forms.ApplyForm(certification=certification)
    if request.method == "POST":
        if "add_period" in request.POST:
            initial = {name: request.POST.get(name, "") for name in ("path", "situation", "funding")}
            initial["blocks"] = request.POST.getlist("blocks")
            form = forms.ApplyForm(certification=certification, initial=initial)
            periods = candidacy_forms.periods_formset(request.POST, add_one=True)
        else:
            form = forms.ApplyForm(request.POST, certification=certification)
            periods = candidacy_forms.periods_formset(request.POST)
            if form.is_valid() and periods.is_valid():
                experience = candidacy_forms.periods_from(periods)
                submit = request.POST.get("action") == "submit"
                try:
                    candidacy = enrolment.candidacy_apply(
                        by=request.user,
                        submit=submit,
                        certification=certification,
                        path=form.cleaned_data["path"],
                        situation=form.cleaned_data["situation"],
                        funding=form.cleaned_data["funding"],
                        experience_periods=experience,
                        block_codes=form.block_codes(),
                    )
                except (PermissionDenied, ValidationError) as error:
                    if isinstance(error, PermissionDenied):
                        form.add_error(None, str(error))
                    else:
                        candidacy_forms.add_service_errors(form, error)
                    if hint := candidacy_forms.vae_hint(form.cleaned_data["path"], experience):
                        form.add_error(None, hint)
                else:
                    if submit:
                        messages.success(request, _("Votre candidature est déposée : le certificateur va l'examiner."))
                    else:
                        messages.success(
                            request,
                            _("Votre candidature est enregistrée comme brouillon : déposez-la quand elle est prête."),
                        )
                    exempted = exempted_block_codes(candidacy)
                    if exempted:
                        messages.info(
                            request,
                            _("Blocs dispensés parce que vous les détenez déjà : %s.") % ", ".join(exempted),
                        )
                    return redirect(reverse("www:candidacy_detail", kwargs={"pk": candidacy.pk}))
    return render(
        request,
        "www/candidate/apply.html",
        {"certification": certification, "form": form, "periods": periods},
        status=400 if request.method == "POST" and "add_period" not in request.POST else 200,
    )


# --- My blocks of competencies (capitalisation) and passerelles ---------------------------------------


def _own_candidate(user):
    return Candidate.objects.filter(user=user).first()


def _holdings_rows(candidate):
    """The person's held blocks, each award with the state of its document, for the page and the exports."""
    rows = capitalisation.holdings(candidate) if candidate else []
    for row in rows:
        if row.award is not None:
            row.award.document_state = award_documents.document_state(row.award)
            row.award.verification_url = openbadges.verification_url(row.award)
    return rows


def _holdings_data(candidate, rows):
    return {
        "candidate": {"first_name": candidate.first_name, "last_name": candidate.last_name} if candidate else None,
        "exported_on": timezone.localdate().isoformat(),
        "blocks": [
            {
                "block": row.block.code,
                "title": row.block.title,
                "certification": row.block.certification.code,
                "certification_title": row.block.certification.title,
                "source": row.source,
                "source_label": str(row.source_label),
                "obtained_on": row.obtained_on.isoformat() if row.obtained_on else None,
                "expires_on": row.expires_on.isoformat() if row.expires_on else None,
                "in_force": row.in_force,
                "award": row.award.number if row.award else None,
                "verification_url": row.award.verification_url if row.award else None,
                "reference": row.reference,
                "via_block": row.via.code if row.via else None,
                "equivalence_kind": row.kind or None,
            }
            for row in rows
        ],
    }


def capitalisation_context(user) -> dict:
    candidate = _own_candidate(user)
    return {
        "holdings": _holdings_rows(candidate),
        "passerelles": capitalisation.passerelles_for(candidate) if candidate else [],
        "situations": Situation.choices,
        "paths": Path.choices,
        "last_situation": candidate.candidacies.values_list("situation", flat=True).first() if candidate else "",
    }


@login_required
@require_GET
def held_blocks_json(request):
    candidate = _own_candidate(request.user)
    data = _holdings_data(candidate, _holdings_rows(candidate))
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = 'attachment; filename="mes-blocs-de-competences.json"'
    return response


@login_required
@require_GET
def held_blocks_pdf(request):
    candidate = _own_candidate(request.user)
    html = render_to_string(
        "www/candidate/held_blocks_pdf.html",
        {"candidate": candidate, "holdings": _holdings_rows(candidate), "today": timezone.localdate()},
    )
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="mes-blocs-de-competences.pdf"'
    return response


@login_required
@require_POST
def passerelle_apply(request, code):
    """One click: a draft candidacy for the blocks of this certification the person does not hold yet."""
    candidate = _own_candidate(request.user)
    passerelle = (
        next((p for p in capitalisation.passerelles_for(candidate) if p.code == code), None) if candidate else None
    )
    if passerelle is None:
        raise Http404(_("Aucune passerelle vers cette certification."))
    home = reverse("www:candidate_home") + "#passerelles"
    if passerelle.complete:
        messages.info(request, _("Vous détenez déjà tous les blocs de cette certification."))
        return redirect(home)
    try:
        candidacy = enrolment.candidacy_apply(
            by=request.user,
            submit=False,
            certification=Certification.objects.get(pk=passerelle.certification_id),
            path=request.POST.get("path", Path.TRAINING),
            situation=request.POST.get("situation", ""),
            block_codes=passerelle.missing_blocks,
        )
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, " ".join(error.messages) if isinstance(error, ValidationError) else str(error))
        return redirect(home)
    messages.success(
        request,
        _("Votre candidature est enregistrée comme brouillon pour les blocs manquants : %(codes)s.")
        % {"codes": ", ".join(passerelle.missing_blocks)},
    )
    return redirect(reverse("www:candidacy_detail", kwargs={"pk": candidacy.pk}))


# --- My civil identity (needed on certificates and for the Caisse des Dépôts declaration) -------------


@login_required
@require_http_methods(["GET", "POST"])
def candidate_identity(request):
    candidate = _own_candidate(request.user)
    if candidate is None:
        raise Http404
    form = forms.IdentityForm(request.POST or None, instance=candidate)
    if request.method == "POST" and form.is_valid():
        identity.candidate_identity_update(
            candidate=candidate, by=request.user, **{name: form.cleaned_data[name] for name in form.Meta.fields}
        )
        messages.success(request, _("Votre identité est enregistrée."))
        return redirect("www:candidate_identity")
    return render(request, "www/candidate/identity.html", {"form": form})
