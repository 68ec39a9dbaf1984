"""Retracting claims, cross-references and sources made in error, and restoring them.

Editors only. A retracted record is gone from every other page; its own page, reachable
by editors from the Retracted list, says who retracted it, when and why, and restores it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from claims.forms import RetractionForm
from claims.models import Claim, CrossReference
from claims.services import (
    claim_restore,
    claim_retract,
    crossref_restore,
    crossref_retract,
    source_restore,
    source_retract,
)
from claims.services.retraction import PERMISSIONS
from sources.models import Source

RETRACTED_PER_PAGE = 25


@dataclass(frozen=True)
class Kind:
    """How the pages name one kind of retractable record and act on it."""

    model: type[models.Model]
    # The services' name for the record, which also starts its URL names
    # (claim_retract, crossref_restore, source_detail).
    prefix: str
    namespace: str
    name: str  # as a sentence names one
    retract: Callable
    restore: Callable
    related: tuple[str, ...]  # what its pages show of it, fetched with it

    def url(self, action: str, pk: int) -> str:
        return reverse(f"{self.namespace}:{self.prefix}_{action}", args=[pk])


KINDS = {
    kind.prefix: kind
    for kind in (
        Kind(
            Claim,
            "claim",
            "claims",
            gettext_lazy("claim"),
            claim_retract,
            claim_restore,
            ("source", "retracted_by"),
        ),
        Kind(
            CrossReference,
            "crossref",
            "claims",
            gettext_lazy("cross-reference"),
            crossref_retract,
            crossref_restore,
            ("from_claim__source", "to_claim__source", "retracted_by"),
        ),
        Kind(
            Source,
            "source",
            "sources",
            gettext_lazy("source"),
            source_retract,
            source_restore,
            ("retracted_by",),
        ),
    )
}


def _record(kind: Kind, pk: int):
    queryset = kind.model.all_objects.select_related(*kind.related)
    if kind.model is Source:
        queryset = queryset.defer("text")
    return get_object_or_404(queryset, pk=pk)


def _require_editor(request, kind: Kind) -> None:
    if not request.user.has_perm(PERMISSIONS[kind.model]):
        raise PermissionDenied(_("Only an Editor can retract or restore a record."))


def record_retract(request, kind_name: str, pk: int):
    """Ask why a record is retracted, then retract it; Editors only."""
    kind = KINDS[kind_name]
    _require_editor(request, kind)
    record = _record(kind, pk)
    if record.is_retracted:
        return redirect(kind.url("detail", pk))
    form = RetractionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            kind.retract(
                **{kind.prefix: record}, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "Retracted: the %(kind)s has left the lists, the search and the exports. "
                    "It can be restored here or from the Retracted page."
                )
                % {"kind": kind.name},
            )
            return redirect(kind.url("detail", pk))
    return render(
        request,
        "claims/retract_form.html",
        {"record": record, "kind": kind_name, "kind_name": kind.name, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
def record_restore(request, kind_name: str, pk: int):
    """Bring a retracted record back; Editors only."""
    kind = KINDS[kind_name]
    _require_editor(request, kind)
    record = _record(kind, pk)
    try:
        kind.restore(**{kind.prefix: record}, user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(kind.url("detail", pk))
    messages.success(
        request, _("Restored: the %(kind)s is back on every page.") % {"kind": kind.name}
    )
    return redirect(kind.url("detail", pk))


def retracted_detail(request, kind_name: str, pk: int):
    """Show a retracted record to an editor: what it was, who retracted it, when and why.

    Anyone else finds nothing at its address, as with any record that is not there.
    """
    kind = KINDS[kind_name]
    if not request.user.has_perm(PERMISSIONS[kind.model]):
        raise Http404
    record = get_object_or_404(
        kind.model.all_objects.retracted().select_related(*kind.related), pk=pk
    )
    return render(
        request,
        "claims/retracted_detail.html",
        {"record": record, "kind": kind_name, "kind_name": kind.name},
    )


@permission_required(
    ["claims.change_claim", "claims.change_crossreference", "sources.change_source"],
    raise_exception=True,
)
def retracted_list(request):
    """List the retracted claims, cross-references and sources, newest first, to restore."""
    # claims.views.claims shows a retracted claim's page through this module.
    from claims.views.claims import page_of

    sections = []
    for kind_name, heading in (
        ("claim", _("Claims")),
        ("crossref", _("Cross-references")),
        ("source", _("Sources")),
    ):
        kind = KINDS[kind_name]
        queryset = kind.model.all_objects.retracted().select_related(*kind.related)
        if kind.model is Source:
            queryset = queryset.defer("text")
        page = page_of(request, Paginator(queryset, RETRACTED_PER_PAGE), f"{kind_name}_page")
        sections.append({"kind": kind_name, "heading": heading, "page": page})
    return render(request, "claims/retracted_list.html", {"sections": sections})
