"""Stock ModelAdmins, as `startapp` and the admin tutorial would write them."""

from django.contrib import admin

from claims.models import Claim, CrossReference, Verdict
from sources.models import Source

site = admin.AdminSite(name="baseline_admin")


@admin.register(Claim, site=site)
class ClaimAdmin(admin.ModelAdmin):
    list_display = ("__str__", "source", "value", "unit", "review_status")
    list_filter = ("review_status", "unit", "source", "attributed_to")
    search_fields = ("quote", "summary", "source__title")


@admin.register(Source, site=site)
class SourceAdmin(admin.ModelAdmin):
    list_display = ("title", "outlet", "published_on", "script", "region")
    list_filter = ("script", "region", "outlet")
    search_fields = ("title", "outlet", "author")


@admin.register(CrossReference, site=site)
class CrossReferenceAdmin(admin.ModelAdmin):
    list_display = ("from_claim", "relation", "to_claim", "review_status")
    list_filter = ("relation", "review_status")
    search_fields = ("note",)


@admin.register(Verdict, site=site)
class VerdictAdmin(admin.ModelAdmin):
    list_display = ("created_at", "reviewer", "verdict", "claim", "crossref")
    list_filter = ("verdict", "reviewer")
    search_fields = ("note",)
