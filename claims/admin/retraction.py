"""Retraction in the admin, in place of deletion.

Deleting a claim, cross-reference or source would take its verdicts and history with it
(or be refused by the foreign keys that protect them), and could not be undone. Like
the pages, the admin retracts instead: an action asks why, the services record who and
when, and a filter shows the retracted rows, which a second action restores. Delete stays
off for everyone, superusers included, as Django's own LogEntry admin keeps it off for
records that are history.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from claims.forms import RetractionForm


class RetractedListFilter(admin.SimpleListFilter):
    """Standing rows unless asked otherwise; retracted ones, or every row, on request."""

    title = _("retracted")
    parameter_name = "retracted"

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        self.standing = model_admin.standing

    def lookups(self, request, model_admin):
        return (("yes", _("Retracted")), ("any", _("Standing and retracted")))

    def choices(self, changelist):
        # "All" would mislead here: without a choice only standing rows are listed.
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": _("Standing"),
        }
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(retracted_at__isnull=False)
        if self.value() == "any":
            return queryset
        return queryset.filter(self.standing)


class RetractionAdminMixin:
    """Retract and restore actions, the retracted filter, and no deletion."""

    retract = None  # the service that retracts one row: f(*, <target>, user, reason)
    restore = None  # the service that restores one row: f(*, <target>, user)
    retraction_argument = ""  # the argument the services take the row as
    retraction_actions = ("retract_selected", "restore_selected")
    retraction_readonly = ("retracted_at", "retracted_by", "retraction_reason")

    @property
    def standing(self) -> Q:
        """What the list shows unless asked for retracted rows: what the default manager holds."""
        return self.model.objects.standing

    def get_queryset(self, request):
        # Every row, so that the filter can show the retracted ones and their pages open;
        # the filter lists only standing rows unless asked. Autocompletion offers only
        # standing rows, which are all a form accepts.
        match = request.resolver_match
        if match is not None and match.url_name == "autocomplete":
            manager = self.model.objects
        else:
            manager = self.model.all_objects
        queryset = manager.get_queryset()
        ordering = self.get_ordering(request)
        if ordering:
            queryset = queryset.order_by(*ordering)
        return queryset

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        # A retracted row is read, not edited, until it is restored.
        if obj is not None and obj.is_retracted:
            return False
        return super().has_change_permission(request, obj)

    def has_retract_permission(self, request):
        return request.user.has_perm(
            f"{self.model._meta.app_label}.change_{self.model._meta.model_name}"
        )

    def _each(self, request, queryset, act, **kwargs):
        done = 0
        for obj in queryset:
            try:
                act(**{self.retraction_argument: obj}, user=request.user, **kwargs)
            except ValidationError as error:
                self.message_user(request, f"{obj}: {' '.join(error.messages)}", messages.ERROR)
            else:
                done += 1
        return done

    @admin.action(description=_("Retract the selected rows…"), permissions=["retract"])
    def retract_selected(self, request, queryset):
        form = RetractionForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            done = self._each(
                request, queryset, type(self).retract, reason=form.cleaned_data["reason"]
            )
            self.message_user(
                request,
                ngettext("Retracted %(count)d row.", "Retracted %(count)d rows.", done)
                % {"count": done},
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Why retract them?"),
            "opts": self.model._meta,
            "queryset": queryset,
            "form": form,
            "action": request.POST.get("action"),
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/claims/retraction_reason.html", context)

    @admin.action(description=_("Restore the selected rows"), permissions=["retract"])
    def restore_selected(self, request, queryset):
        done = self._each(request, queryset.filter(retracted_at__isnull=False), type(self).restore)
        self.message_user(
            request,
            ngettext("Restored %(count)d row.", "Restored %(count)d rows.", done) % {"count": done},
            messages.SUCCESS,
        )
