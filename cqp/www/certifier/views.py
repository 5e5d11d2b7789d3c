"""Pages where certifier staff keep the catalogue of their certifications.

Thin views: fetch through the permission-scoped selectors (a certification of another
certifier is a 404), call one service, turn its error into form errors or a message.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cqp.catalogue import enums, services, staff
from cqp.catalogue.models import Block
from cqp.catalogue.permissions import certifications_editable_by, certifiers_managed_by
from cqp.catalogue.selectors import certification_lineage

from . import forms, selectors

PAGE_SIZE = 50


def _editable_or_404(request, code):
    certification = certifications_editable_by(request.user).filter(code=code).first()
    if certification is None:
        raise Http404(_("Aucune certification %(code)s parmi celles que vous gérez.") % {"code": code})
    return certification


def _block_or_404(certification, block_id):
    block = staff.block_for_edit(certification=certification, block_id=block_id)
    if block is None:
        raise Http404(_("Ce bloc n'appartient pas à la certification."))
    return block


def _edit_url(certification, anchor=""):
    url = reverse("www:certifier_certification_edit", kwargs={"code": certification.code})
    return f"{url}#{anchor}" if anchor else url


def _data(request):
    """Bind forms on POST only: an empty POST still shows its errors."""
    return request.POST if request.method == "POST" else None


def _not_staff(request):
    return render(request, "www/certifier/not_staff.html", status=403)


# --------------------------------------------------------------------------- certifications


@login_required
def certification_list(request):
    certifiers = staff.staff_certifiers(user=request.user)
    if not certifiers.exists():
        return _not_staff(request)
    certifier = None
    if selected := request.GET.get("certificateur"):
        certifier = certifiers.filter(pk=selected).first() if selected.isdigit() else None
        if certifier is None:
            raise Http404(_("Certificateur inconnu."))
    q = request.GET.get("q", "").strip()[:100]
    page = Paginator(staff.staff_certification_list(user=request.user, certifier=certifier, q=q), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    # A platform administrator manages every certifier: do not list thousands of them.
    show_certifiers = not request.user.is_superuser
    return render(
        request,
        "www/certifier/certification_list.html",
        {
            "page": page,
            "certifier": certifier,
            "q": q,
            "certifiers": list(certifiers) if show_certifiers else [],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def certification_create(request):
    certifiers = certifiers_managed_by(request.user).order_by("name")
    first_two = list(certifiers[:2])
    if not first_two:
        return _not_staff(request)
    single = first_two[0] if len(first_two) == 1 else None
    initial = {}
    if (selected := request.GET.get("certificateur", "")).isdigit():
        initial["certifier"] = selected
    form = forms.CertificationCreateForm(
        _data(request), certifiers=certifiers, single_certifier=single, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            certification = services.certification_create(by=request.user, **data)
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("La certification %(code)s est créée. Ajoutez maintenant ses blocs de compétences.")
                % {"code": certification.code},
            )
            return redirect(_edit_url(certification))
    return render(
        request,
        "www/certifier/certification_create.html",
        {"form": form, "single_certifier": single},
    )


@login_required
def certification_edit(request, code):
    certification = staff.certification_for_edit(user=request.user, code=code)
    if certification is None:
        raise Http404(_("Aucune certification %(code)s parmi celles que vous gérez.") % {"code": code})
    blocks = list(certification.blocks.all())
    for block in blocks:
        # One inline form per block, with ids of its own.
        block.criterion_form = forms.CriterionForm(auto_id=f"criterion_{block.pk}_%s")
    return render(
        request,
        "www/certifier/certification_edit.html",
        {
            "certification": certification,
            "registry_fiche": certification.source == enums.Source.REGISTRY,
            "blocks": blocks,
            "access_routes": [
                enums.AccessRoute(r).label for r in certification.access_routes if r in enums.AccessRoute.values
            ],
            "branches_form": forms.BranchesForm(
                initial={"branches": list(certification.branches.all())}, auto_id="branches_%s"
            ),
            "block_form": forms.BlockForm(auto_id="new_block_%s"),
            "trail": staff.audit_trail(certification=certification),
            "lineage": certification_lineage(code=certification.code),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def certification_update(request, code):
    certification = _editable_or_404(request, code)
    if certification.source == enums.Source.REGISTRY:
        return render(request, "www/certifier/registry_read_only.html", {"certification": certification})
    initial = {name: getattr(certification, name) for name in services.UPDATABLE_FIELDS}
    initial["level"] = str(certification.level or "")
    form = forms.CertificationUpdateForm(_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason")
        try:
            services.certification_update(certification=certification, by=request.user, reason=reason, **data)
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            messages.success(request, _("Les informations sont enregistrées."))
            return redirect(_edit_url(certification))
    return render(request, "www/certifier/certification_update.html", {"certification": certification, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def certification_branches(request, code):
    certification = _editable_or_404(request, code)
    form = forms.BranchesForm(_data(request), initial={"branches": list(certification.branches.all())})
    if request.method == "POST" and form.is_valid():
        services.certification_set_branches(
            certification=certification, by=request.user, branches=form.cleaned_data["branches"]
        )
        messages.success(request, _("Les branches sont enregistrées."))
        return redirect(_edit_url(certification, "branches"))
    return render(request, "www/certifier/branches.html", {"certification": certification, "form": form})


# --------------------------------------------------------------------------- blocks


@login_required
@require_http_methods(["GET", "POST"])
def block_create(request, code):
    certification = _editable_or_404(request, code)
    form = forms.BlockForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            block = services.block_create(certification=certification, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            messages.success(request, _("Le bloc %(code)s est ajouté.") % {"code": block.code})
            return redirect(_edit_url(certification, f"bloc-{block.pk}"))
    return render(request, "www/certifier/block_form.html", {"certification": certification, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def block_update(request, code, block_id):
    certification = _editable_or_404(request, code)
    block = _block_or_404(certification, block_id)
    if block.source == enums.Source.REGISTRY:
        return render(
            request, "www/certifier/registry_read_only.html", {"certification": certification, "current_block": block}
        )
    initial = {
        "title": block.title,
        "assessment_methods": block.assessment_methods,
        "competencies": "\n".join(c.text for c in block.competencies.all()),
    }
    form = forms.BlockForm(_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.block_update(block=block, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            messages.success(request, _("Le bloc %(code)s est enregistré.") % {"code": block.code})
            return redirect(_edit_url(certification, f"bloc-{block.pk}"))
    return render(
        request, "www/certifier/block_form.html", {"certification": certification, "current_block": block, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def block_delete(request, code, block_id):
    certification = _editable_or_404(request, code)
    block = _block_or_404(certification, block_id)
    form = forms.ConfirmForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.block_delete(block=block, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Le bloc %(code)s est supprimé.") % {"code": block.code})
        return redirect(_edit_url(certification, "blocs"))
    return render(
        request,
        "www/certifier/block_delete.html",
        {
            "certification": certification,
            "current_block": block,
            "form": form,
            "criterion_count": block.criteria.count(),
            "equivalence_count": block.equivalences.count(),
        },
    )


@login_required
@require_POST
def block_move(request, code, block_id):
    certification = _editable_or_404(request, code)
    block = _block_or_404(certification, block_id)
    form = forms.BlockMoveForm(request.POST)
    if form.is_valid():
        try:
            services.block_move(block=block, by=request.user, direction=form.cleaned_data["direction"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return redirect(_edit_url(certification, f"bloc-{block.pk}"))


# --------------------------------------------------------------------------- criteria


@login_required
@require_http_methods(["GET", "POST"])
def criterion_create(request, code, block_id):
    certification = _editable_or_404(request, code)
    block = _block_or_404(certification, block_id)
    form = forms.CriterionForm(_data(request), auto_id=f"criterion_{block.pk}_%s")
    if request.method == "POST" and form.is_valid():
        try:
            criterion = services.criterion_create(block=block, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            if request.htmx:
                # The inline form of the editing page: send back the block's referential, form emptied.
                return render(
                    request,
                    "www/certifier/_criteria.html",
                    {
                        "certification": certification,
                        "block": block,
                        "criteria": block.criteria.order_by("position", "id"),
                        "criterion_form": _focused(forms.CriterionForm(auto_id=f"criterion_{block.pk}_%s")),
                        "announce": _("Critère ajouté : %(text)s") % {"text": criterion.text},
                    },
                )
            messages.success(request, _("Le critère est ajouté au bloc %(code)s.") % {"code": block.code})
            return redirect(_edit_url(certification, f"bloc-{block.pk}"))
    if request.htmx and request.method == "POST":
        return render(
            request,
            "www/certifier/_criteria.html",
            {
                "certification": certification,
                "block": block,
                "criteria": block.criteria.order_by("position", "id"),
                "criterion_form": form,
            },
        )
    return render(
        request,
        "www/certifier/criterion_form.html",
        {"certification": certification, "current_block": block, "form": form},
    )


def _focused(form):
    """After an inline add, keyboard focus goes back to the emptied field (htmx honours autofocus)."""
    form.fields["text"].widget.attrs["autofocus"] = True
    return form


def _criterion_or_404(certification, criterion_id):
    criterion = staff.criterion_for_edit(certification=certification, criterion_id=criterion_id)
    if criterion is None:
        raise Http404(_("Ce critère n'appartient pas à la certification."))
    return criterion


@login_required
@require_http_methods(["GET", "POST"])
def criterion_update(request, code, criterion_id):
    certification = _editable_or_404(request, code)
    criterion = _criterion_or_404(certification, criterion_id)
    initial = {"text": criterion.text, "mandatory": criterion.mandatory, "position": criterion.position}
    form = forms.CriterionUpdateForm(_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.criterion_update(criterion=criterion, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            messages.success(request, _("Le critère est enregistré."))
            return redirect(_edit_url(certification, f"bloc-{criterion.block_id}"))
    return render(
        request,
        "www/certifier/criterion_form.html",
        {"certification": certification, "current_block": criterion.block, "criterion": criterion, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def criterion_delete(request, code, criterion_id):
    certification = _editable_or_404(request, code)
    criterion = _criterion_or_404(certification, criterion_id)
    form = forms.ConfirmForm(_data(request))
    if request.method == "POST" and form.is_valid():
        services.criterion_delete(criterion=criterion, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("Le critère est supprimé."))
        return redirect(_edit_url(certification, f"bloc-{criterion.block_id}"))
    return render(
        request,
        "www/certifier/criterion_delete.html",
        {"certification": certification, "criterion": criterion, "form": form},
    )


# --------------------------------------------------------------------------- equivalences


@login_required
@require_http_methods(["GET", "POST"])
def equivalence_create(request, code, block_id):
    certification = _editable_or_404(request, code)
    block = _block_or_404(certification, block_id)
    search = forms.EquivalenceSearchForm(request.GET if "code" in request.GET else None)
    query = request.POST.get("code", "") if request.method == "POST" else request.GET.get("code", "")
    candidates = staff.equivalence_candidates(code=query, block=block)
    form = forms.EquivalenceForm(_data(request), candidates=candidates)
    if request.method == "POST" and form.is_valid():
        target = Block.objects.select_related("certification").get(pk=form.cleaned_data["target_block"])
        try:
            services.equivalence_create(
                block=block, target_block=target, by=request.user, kind=form.cleaned_data["kind"]
            )
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("L'équivalence entre %(a)s et %(b)s est déclarée.") % {"a": block.code, "b": target.code},
            )
            return redirect(_edit_url(certification, f"bloc-{block.pk}"))
    return render(
        request,
        "www/certifier/equivalence_form.html",
        {
            "certification": certification,
            "current_block": block,
            "search": search,
            "query": query,
            "candidates": candidates,
            "form": form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def equivalence_delete(request, code, equivalence_id):
    certification = _editable_or_404(request, code)
    equivalence = staff.equivalence_for_edit(certification=certification, equivalence_id=equivalence_id)
    if equivalence is None:
        raise Http404(_("Cette équivalence n'appartient pas à la certification."))
    form = forms.ConfirmForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.equivalence_delete(equivalence=equivalence, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("L'équivalence est retirée."))
        return redirect(_edit_url(certification, f"bloc-{equivalence.block_id}" if equivalence.block_id else "blocs"))
    return render(
        request,
        "www/certifier/equivalence_delete.html",
        {"certification": certification, "equivalence": equivalence, "form": form},
    )


# --------------------------------------------------------------------------- versions


def _versions(request, certification, side):
    """The editable certifications this one replaces (`replaces`) or is replaced by (`replaced_by`)."""
    codes = certification_lineage(code=certification.code)[side]
    return list(certifications_editable_by(request.user).filter(code__in=codes).order_by("code"))


def _chosen(request, versions, param):
    wanted = request.POST.get(param) or request.GET.get(param)
    if wanted:
        for version in versions:
            if version.code == wanted:
                return version
        raise Http404(_("Aucune version %(code)s parmi celles que vous gérez.") % {"code": wanted})
    return versions[0] if versions else None


@login_required
@require_http_methods(["GET", "POST"])
def version_create(request, code):
    certification = _editable_or_404(request, code)
    form = forms.NewVersionForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            new = services.certification_new_version(certification=certification, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "La nouvelle version %(code)s est créée, inactive : complétez-la, vérifiez les correspondances "
                    "de blocs, puis rendez-la active."
                )
                % {"code": new.code},
            )
            return redirect(_edit_url(new))
    return render(
        request,
        "www/certifier/version_create.html",
        {"certification": certification, "form": form, "block_count": certification.blocks.count()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def version_equivalences(request, code):
    """On the new version: each old block and the new blocks that take it over; add or remove a pair."""
    certification = _editable_or_404(request, code)
    olds = _versions(request, certification, "replaces")
    old = _chosen(request, olds, "ancienne")
    if old is None:
        raise Http404(_("Cette certification ne remplace aucune version que vous gérez."))
    new_blocks = list(certification.blocks.order_by("position", "code"))
    old_blocks = list(old.blocks.order_by("position", "code"))
    form = forms.VersionEquivalenceForm(_data(request), new_blocks=new_blocks, old_blocks=old_blocks)
    if request.method == "POST" and form.is_valid():
        block = next(b for b in new_blocks if b.pk == form.cleaned_data["block"])
        target = next(b for b in old_blocks if b.pk == form.cleaned_data["target_block"])
        try:
            services.block_equivalence_declare(
                block=block, target_block=target, kind=enums.EquivalenceKind.VERSION, by=request.user
            )
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            messages.success(request, _("%(a)s reprend désormais %(b)s.") % {"a": block.code, "b": target.code})
            return redirect(f"{request.path}?ancienne={old.code}")
    pairs = selectors.version_pairs(old=old, new=certification)
    return render(
        request,
        "www/certifier/version_equivalences.html",
        {
            "certification": certification,
            "old": old,
            "olds": olds,
            "rows": pairs["rows"],
            "unmapped_new": pairs["unmapped_new"],
            "form": form,
        },
    )


@login_required
@require_POST
def version_propose(request, code):
    certification = _editable_or_404(request, code)
    old = _chosen(request, _versions(request, certification, "replaces"), "ancienne")
    if old is None:
        raise Http404(_("Cette certification ne remplace aucune version que vous gérez."))
    declared = services.version_equivalences_propose(old=old, new=certification, by=request.user)
    messages.success(
        request,
        _("%(n)d correspondance(s) déclarée(s) automatiquement.") % {"n": len(declared)},
    )
    url = reverse("www:certifier_version_equivalences", kwargs={"code": certification.code})
    return redirect(f"{url}?ancienne={old.code}")


@login_required
@require_http_methods(["GET", "POST"])
def certification_retire(request, code):
    certification = _editable_or_404(request, code)
    successors = _versions(request, certification, "replaced_by")
    initial = {"on": certification.retired_on, "replaced_by": successors[0].code if successors else ""}
    form = forms.RetireForm(_data(request), initial=initial, successors=successors)
    if request.method == "POST" and form.is_valid():
        replaced_by = next((c for c in successors if c.code == form.cleaned_data["replaced_by"]), None)
        try:
            services.certification_retire(
                certification=certification,
                by=request.user,
                on=form.cleaned_data["on"],
                replaced_by=replaced_by,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("À partir du %(date)s, %(code)s ne reçoit plus de nouvelle candidature.")
                % {"date": form.cleaned_data["on"].strftime("%d/%m/%Y"), "code": certification.code},
            )
            return redirect(_edit_url(certification, "versions"))
    return render(request, "www/certifier/version_retire.html", {"certification": certification, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def candidacies_migrate(request, code):
    """On the old version: its candidacies in progress that can move to the new version, and those that cannot."""
    certification = _editable_or_404(request, code)
    successors = _versions(request, certification, "replaced_by")
    new = _chosen(request, successors, "nouvelle")
    if new is None:
        raise Http404(_("Cette certification n'a pas de nouvelle version que vous gérez."))
    plans = selectors.candidacy_moves_for(user=request.user, old=certification, new=new)
    movable = [p for p in plans if p.movable]
    blocked = [p for p in plans if not p.movable]
    form = forms.MigrateForm(_data(request), movable=movable)
    if request.method == "POST" and form.is_valid():
        chosen = [p.candidacy for p in movable if p.candidacy.pk in form.cleaned_data["candidacies"]]
        try:
            services.candidacies_migrate(old=certification, new=new, by=request.user, candidacies=chosen)
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(n)d candidature(s) passée(s) sur %(code)s.") % {"n": len(chosen), "code": new.code},
            )
            url = reverse("www:certifier_candidacies_migrate", kwargs={"code": certification.code})
            return redirect(f"{url}?nouvelle={new.code}")
    return render(
        request,
        "www/certifier/version_migrate.html",
        {
            "certification": certification,
            "new": new,
            "successors": successors,
            "movable": movable,
            "blocked": blocked,
            "form": form,
        },
    )
