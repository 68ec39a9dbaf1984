from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from compare.models import Origin, SuggestionDismissal
from compare.services import origin_save


@admin.register(Origin)
class OriginAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "aliases")
    list_filter = ("kind",)
    search_fields = ("name", "aliases")
    fields = ("name", "kind", "aliases")

    def save_model(self, request, obj, form, change):
        # Through the service, so the folded alias keys are written and claims relinked.
        origin_save(
            user=request.user,
            origin=obj,
            name=form.cleaned_data["name"],
            aliases=form.cleaned_data["aliases"],
            kind=form.cleaned_data["kind"],
        )


@admin.register(SuggestionDismissal)
class SuggestionDismissalAdmin(admin.ModelAdmin):
    list_display = ("claim_low", "claim_high", "reason", "dismissed_by", "dismissed_at")
    readonly_fields = ("claim_low", "claim_high", "reason", "dismissed_by", "dismissed_at")
    list_select_related = ("claim_low", "claim_high", "dismissed_by")
