from django.contrib import admin
from django.db.models import F
from simple_history.admin import SimpleHistoryAdmin

from claims.admin.claims import KeyedSearchMixin, LargeTableMixin
from claims.services import source_create, source_update
from sources.forms import SourceForm
from sources.models import Source


@admin.register(Source)
class SourceAdmin(LargeTableMixin, KeyedSearchMixin, SimpleHistoryAdmin):
    form = SourceForm
    list_display = ("title", "outlet", "published_on", "script", "region")
    # Outlets are too many to list as a filter; the search finds them. A date hierarchy's
    # list of years would read every source.
    list_filter = ("script", "region")
    search_ranked = True
    deferred_in_list = ("text", "search_key")
    # The source list's order, which its index serves (migration claims 0008).
    ordering = (F("published_on").desc(nulls_last=True), "title", "pk")
    readonly_fields = ("version", "created_by", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("key", "title", "outlet", "author", "published_on", "url")}),
        ("Language", {"fields": ("script", "region")}),
        ("Article", {"fields": ("text",)}),
        (
            "Record",
            {"fields": ("version", "created_by", "created_at", "updated_at", "expected_version")},
        ),
    )

    def has_delete_permission(self, request, obj=None):
        # Claims quote sources; deleting one would orphan their anchors and verdicts.
        return False

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
