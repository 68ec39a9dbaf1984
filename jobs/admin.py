from django.contrib import admin

from jobs.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("__str__", "status", "created_by", "created_at", "done", "total")
    list_filter = ("kind", "status")
    list_select_related = ("created_by",)
    # Jobs are started, cancelled and retried from the Jobs pages, through their services.
    readonly_fields = [field.name for field in Job._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
