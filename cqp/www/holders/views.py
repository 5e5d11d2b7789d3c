"""The blocks a person holds, seen by the staff of a certifier they have a candidacy with, who record
there the blocks of an earlier certification.

Thin view: the person is fetched through the capitalisation selectors (anyone else, or any other
role, gets a 404), the recording is one service call whose refusals become form errors.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from cqp.candidacies.selectors import candidacies_visible_to
from cqp.capitalisation import selectors, services

from .forms import CertificationChoiceForm, EarlierBlocksForm, add_service_errors


@login_required
@require_http_methods(["GET", "POST"])
def holder_blocks(request, candidate_id):
    candidate = get_object_or_404(selectors.candidates_for_certifier_staff(request.user), pk=candidate_id)
    certifications = selectors.certifications_for_certifier_staff(request.user)
    data = request.POST if request.method == "POST" else None
    code = (data or request.GET).get("certification", "")
    chosen = certifications.filter(code=code).first() if code else None
    if chosen is None and not code and len(certifications[:2]) == 1:
        chosen = certifications.first()  # one certification only: nothing to choose
    chooser = CertificationChoiceForm(
        request.GET if code and data is None else None,
        certifications=certifications,
        initial={"certification": chosen.code if chosen else ""},
    )
    form = None
    if chosen is not None or data is not None:
        form = EarlierBlocksForm(data, certifications=certifications, certification=chosen)
    status = 200
    if data is not None:
        status = 400
        if form.is_valid():
            fields = form.cleaned_data
            try:
                made = services.held_blocks_record_earlier(
                    candidate=candidate,
                    blocks=fields["blocks"],
                    obtained_on=fields["obtained_on"],
                    reference=fields["reference"],
                    by=request.user,
                )
            except PermissionDenied as error:
                form.add_error(None, str(error))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    ngettext(
                        "Bloc enregistré pour %(name)s : %(codes)s.",
                        "Blocs enregistrés pour %(name)s : %(codes)s.",
                        len(made),
                    )
                    % {"name": candidate, "codes": ", ".join(row.block.code for row in made)},
                )
                url = reverse("www:holder_blocks", kwargs={"candidate_id": candidate.pk})
                return redirect(f"{url}?{urlencode({'certification': chosen.code})}#enregistrer")
    context = {
        "candidate": candidate,
        "holdings": selectors.holdings(candidate),
        "chooser": chooser,
        "chosen": chosen,
        "form": form,
        "candidacies": candidacies_visible_to(request.user)
        .filter(candidate=candidate)
        .select_related("certification")
        .order_by("-created_at"),
    }
    return render(request, "www/holders/blocks.html", context, status=status)
