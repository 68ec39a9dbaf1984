from django.contrib import admin
from django.db.models import F
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from claims.admin.claims import KeyedSearchMixin, LargeTableMixin
from claims.admin.retraction import RetractedListFilter, RetractionAdminMixin
from claims.selectors import open_candidates
from claims.services import source_create, source_restore, source_retract, source_update
from claims.views.sources import warn_of_publication_gaps
from sources.forms import SourceForm
from sources.models import Source


@admin.register(Source)
class SourceAdmin(LargeTableMixin, RetractionAdminMixin, KeyedSearchMixin, SimpleHistoryAdmin):
    form = SourceForm
    retract, restore, retraction_argument = source_retract, source_restore, "source"
    actions = RetractionAdminMixin.retraction_actions
    list_display = ("title", "outlet", "published_on", "script", "region")
    # Outlets are too many to list as a filter; the search finds them. A date hierarchy's
    # list of years would read every source.
    list_filter = ("script", "region", RetractedListFilter)
    search_ranked = True
    deferred_in_list = ("text", "search_key")
    # The source list's order, which its index serves (migration claims 0013).
    ordering = (F("published_on").desc(nulls_last=True), "title", "pk")
    readonly_fields = (
        "version",
        "created_by",
        "created_at",
        "updated_at",
        "candidate_claims",
        *RetractionAdminMixin.retraction_readonly,
    )
    fieldsets = (
        (None, {"fields": ("key", "title", "outlet", "author", "published_on", "url")}),
        (_("Language"), {"fields": ("script", "region")}),
        (_("Article"), {"fields": ("text", "candidate_claims")}),
        (
            _("Record"),
            {"fields": ("version", "created_by", "created_at", "updated_at", "expected_version")},
        ),
        (_("Retraction"), {"fields": RetractionAdminMixin.retraction_readonly}),
    )

    @admin.display(description=_("candidate claims"))
    def candidate_claims(self, obj):
        # The queue is on the source's page, where the sentences are seen in the text.
        if obj is None or obj.pk is None:
            return _("Proposed once the source is saved.")
        count = len(open_candidates(obj))
        return format_html(
            '<a href="{}#candidates">{}</a>',
            reverse("sources:source_detail", args=[obj.pk]),
            ngettext(
                "%(count)d sentence proposed as a claim: review it on the source's page",
                "%(count)d sentences proposed as claims: review them on the source's page",
                count,
            )
            % {"count": count},
        )

    def save_model(self, request, obj, form, change):
        # Writes go through the services, which anchor claims and keep the history.
        fields = {name: form.cleaned_data[name] for name in SourceForm.Meta.fields}
        if change:
            saved = source_update(
                source=obj,
                user=request.user,
                expected_version=form.cleaned_data.get("expected_version"),
                **fields,
            )
        else:
            saved = source_create(user=request.user, **fields)
        obj.pk = saved.pk
        obj.refresh_from_db()
        warn_of_publication_gaps(request, saved)
