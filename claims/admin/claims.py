from functools import partial

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IS_FACETS_VAR, IS_POPUP_VAR, TO_FIELD_VAR
from django.contrib.admin.views.main import (
    ALL_VAR,
    ERROR_FLAG,
    ORDER_VAR,
    PAGE_VAR,
    SEARCH_VAR,
    ChangeList,
)
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.forms.models import BaseInlineFormSet
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from claims.admin.retraction import RetractedListFilter, RetractionAdminMixin
from claims.admin.widgets import CheckedAutocompleteMixin
from claims.exports import ClaimExport
from claims.filters import holding_every_word, pairs_holding, verdicts_holding
from claims.forms import ClaimForm, CrossReferenceForm, VerdictForm
from claims.models import Claim, CrossReference, Topic, Verdict
from claims.search import (
    RANK_BOUND,
    among_newest_matches,
    matching,
    ranked,
    search_terms,
)
from claims.services import (
    claim_restore,
    claim_retract,
    crossref_create,
    crossref_restore,
    crossref_retract,
    crossref_update,
    topic_create,
    topic_update,
    verdict_create,
)
from claims.templatetags.hecha import number
from claims.views.export import export_response
from core.pagination import AFTER, BoundedCountPaginator, KeysetPaginator, share_estimate
from core.validation import constraint_message


def format_figure(obj) -> str:
    if obj.value is None:
        return "—"
    return obj.figure_text or number(obj.value, obj.source.script)


class KeyedSearchMixin:
    """Search the admin as the lists search: in either script, every word required.

    `search_fields` name the stored key columns only so that the admin shows its search box
    and allows autocompletion; `get_search_results` does the search.
    """

    search_fields = ("search_key",)
    search_names = ()  # short identifiers matched as typed (see claims.search.matching)
    search_ranked = False  # whether a search the user did not sort comes most relevant first
    search_help_text = _("Words in either script; every word must be found.")

    # Where a row's words are also in the rows it points to: f(term) -> the condition on
    # rows holding it, each key read through its own index (claims.filters.pairs_holding).
    # As one condition over the joined keys, a word found in none read every row's.
    words_holding = None

    def get_search_results(self, request, queryset, search_term):
        if self.words_holding is not None:
            searched = holding_every_word(queryset, search_term, self.words_holding)
            # The paginator counts them first, or estimates them (LargeTableMixin.get_paginator).
            request.search_count_parts, request.search_count_share = searched.parts, searched.share
            return searched.rows, False
        results = matching(queryset, search_term, keys=self.search_fields, names=self.search_names)
        terms = search_terms(search_term)
        if self.search_ranked and not request.GET.get(ORDER_VAR) and terms:
            # As the lists rank (claims.search.RANK_BOUND): the newest matches only. Ranking
            # every claim that holds a common word read a third of a million claims (1.4 s).
            results, more = among_newest_matches(results, terms=terms, bound=RANK_BOUND)
            results = ranked(results, search_term)
            # The paginator says so (LargeTableMixin.get_paginator).
            request.search_ranked_among_newest = RANK_BOUND if more else None
        # Keys are columns of the row or of rows it points to: no duplicates to remove.
        return results, False


class KeysetChangeList(ChangeList):
    """A changelist whose Next link starts the next page after this page's last row.

    Numbered pages are read by OFFSET, which walks the order's index past every row before
    the page: half a million rows in, 30–60 ms. Next carries a cursor instead (`after`, see
    core.pagination), so a page reached by it costs what the first does, however deep. An
    order the cursor cannot follow (across a relation, or a search's relevance) keeps the
    numbered pages alone.
    """

    def __init__(self, request, *args, **kwargs):
        self.cursor = request.GET.get(AFTER, "")
        self.next_query = ""
        super().__init__(request, *args, **kwargs)
        # The search box carries the other parameters along; a new search starts afresh.
        self.params.pop(AFTER, None)

    def get_filters_params(self, params=None):
        lookup_params = super().get_filters_params(params)
        lookup_params.pop(AFTER, None)
        return lookup_params

    def get_query_string(self, new_params=None, remove=None):
        # Sorting, filtering and numbered pages start afresh, without this page's cursor.
        return super().get_query_string(new_params, [*(remove or []), AFTER])

    def keyset(self) -> KeysetPaginator | None:
        if self.list_editable:
            return None  # its forms are built from a queryset of the page
        try:
            return KeysetPaginator(self.queryset, self.list_per_page, query=self.get_query_string())
        except (ValueError, FieldDoesNotExist):
            return None

    def get_results(self, request):
        keyset = self.keyset()
        if not self.cursor or keyset is None:
            super().get_results(request)
            # A number below 1 Django lets through only where the list is one page, shown
            # whole and numbered not at all; more pages it refuses (`?e=1`).
            if keyset is not None and not self.show_all and self.page_num >= 1:
                rows = list(self.result_list)
                start = (self.page_num - 1) * self.list_per_page
                counted = getattr(self.paginator, "counted", None)
                # A count that stopped at its bound says only that more rows follow it.
                floor = counted is not None and not counted.exact and not counted.estimate
                if rows and (
                    start + len(rows) < self.result_count
                    or (floor and len(rows) == self.list_per_page)
                ):
                    self.multi_page = True
                    self._link_next(keyset, rows[-1], start + len(rows) - 1)
            return
        page = keyset.page(after=self.cursor)
        self.paginator = self.model_admin.get_paginator(request, self.queryset, self.list_per_page)
        self.result_count = self.paginator.count
        self.full_result_count = None
        self.show_full_result_count = False
        self.show_admin_actions = True
        self.can_show_all = False
        self.multi_page = True
        self.page_num = page.number
        self.result_list = page.object_list
        if page.has_next:
            self._link_next(keyset, page.object_list[-1], page.end_index() - 1)

    def _link_next(self, keyset, row, position):
        cursor = keyset.encode(row, position)
        self.next_query = self.get_query_string({AFTER: cursor})


def changelist_cursor_at(request, model_admin, position: int) -> str:
    """Return the query string of the changelist page that starts after row `position`.

    Rows are counted from 1; the page is the one a Next link from the page ending at that row
    leads to. For benchmarks and tools that start a walk in the middle of a long changelist;
    it reads its way there by OFFSET once.
    """
    changelist = model_admin.get_changelist_instance(request)
    keyset = changelist.keyset()
    row = keyset.queryset.order_by(*(key.order_by() for key in keyset.keys))[position - 1]
    return changelist.get_query_string({AFTER: keyset.encode(row, position - 1)})


# A changelist's parameters that select no rows: order, page, the Next cursor, display.
UNFILTERED_PARAMETERS = {
    ORDER_VAR,
    PAGE_VAR,
    AFTER,
    ALL_VAR,
    ERROR_FLAG,
    IS_POPUP_VAR,
    TO_FIELD_VAR,
    IS_FACETS_VAR,
}


class LargeTableMixin:
    """Changelists that stay fast over a million rows.

    No full count beside the filtered one, a paginator that estimates or bounds its count
    and reads deep pages by ids, a Next link that reads the next page after this one's
    last row (KeysetChangeList), list filters only over short lists of values, an order
    an index serves, and no long text loaded for the rows shown.
    """

    show_full_result_count = False
    paginator = BoundedCountPaginator
    # Rendering a row costs the admin a millisecond or more; a page of 25 renders in the
    # time of the page's queries.
    list_per_page = 25
    deferred_in_list = ()  # long columns the list never shows
    # Or, where the rows come with several related rows: the only columns the list shows.
    loaded_in_list = ()
    # The page's rows are drawn once and kept (templates/admin/change_list.html): every
    # column shows the row or a row selected with it (list_select_related), which the
    # kept drawing's key holds.
    keep_rows_drawn = True

    def get_changelist(self, request, **kwargs):
        return KeysetChangeList

    def action_checkbox(self, obj):
        """Return each row's checkbox as ModelAdmin.action_checkbox does, byte for byte.

        Django renders it as a form widget, through the widget's templates, for every row:
        a third of a changelist's time.
        """
        label = format_html(gettext("Select this object for an action - {}"), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            str(obj.pk),
            label,
        )

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        paginator = super().get_paginator(
            request, queryset, per_page, orphans, allow_empty_first_page
        )
        # Searched or filtered by the reader, or the table as a whole (standing rows).
        narrowing = {
            name
            for name, value in request.GET.items()
            if value and name not in UNFILTERED_PARAMETERS
        }
        paginator.filtered = bool(narrowing)
        paginator.ranked_among = getattr(request, "search_ranked_among_newest", None)
        paginator.count_parts = getattr(request, "search_count_parts", ())
        if search_terms(request.GET.get(SEARCH_VAR, "")):
            paginator.bound = RANK_BOUND
            # Searched for a word too common to list its claims, and nothing else: estimated
            # from the share of the newest claims that hold it, as the board estimates it.
            if narrowing == {SEARCH_VAR}:
                paginator.estimate = share_estimate(
                    queryset.model, getattr(request, "search_count_share", None), queryset.db
                )
        return paginator

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.resolver_match.url_name.endswith("_changelist"):
            if self.loaded_in_list:
                queryset = queryset.only(*self.loaded_in_list)
            elif self.deferred_in_list:
                queryset = queryset.defer(*self.deferred_in_list)
        return queryset


class ReviewActionsMixin:
    """Admin actions that record the acting user's verdict on each selected row."""

    actions = ("record_agree", "record_dispute", "record_needs_context")
    target_argument = ""  # the verdict_create argument the rows are passed as

    def has_annotate_permission(self, request):
        return request.user.has_perm("claims.add_verdict")

    def _record(self, request, queryset, verdict, note=""):
        # Only what stands: the retracted filter can show retracted rows beside the others.
        queryset = self.model.objects.filter(pk__in=queryset.values("pk"))
        for obj in queryset:
            verdict_create(
                reviewer=request.user, verdict=verdict, note=note, **{self.target_argument: obj}
            )
        count = len(queryset)
        self.message_user(
            request,
            ngettext(
                "Recorded your verdict “%(verdict)s” on %(count)d %(name)s.",
                "Recorded your verdict “%(verdict)s” on %(count)d %(name_plural)s.",
                count,
            )
            % {
                "verdict": Verdict.Kind(verdict).label,
                "count": count,
                "name": self.model._meta.verbose_name,
                "name_plural": self.model._meta.verbose_name_plural,
            },
            messages.SUCCESS,
        )

    def _record_with_note(self, request, queryset, verdict):
        # A dispute needs a reason, so the action asks for one on an intermediate page.
        if "apply" in request.POST:
            form = VerdictForm({"verdict": verdict, "note": request.POST.get("note", "")})
            if form.is_valid():
                self._record(request, queryset, verdict, form.cleaned_data["note"])
                return None
        else:
            form = VerdictForm(initial={"verdict": verdict})
        context = {
            **self.admin_site.each_context(request),
            "title": _("Why do you say “%(verdict)s”?") % {"verdict": Verdict.Kind(verdict).label},
            "opts": self.model._meta,
            "queryset": queryset,
            "form": form,
            "verdict": verdict,
            "action": request.POST.get("action"),
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/claims/verdict_note.html", context)

    @admin.action(description=_("I agree"), permissions=["annotate"])
    def record_agree(self, request, queryset):
        self._record(request, queryset, Verdict.Kind.AGREE)

    @admin.action(description=_("I dispute…"), permissions=["annotate"])
    def record_dispute(self, request, queryset):
        return self._record_with_note(request, queryset, Verdict.Kind.DISPUTE)

    @admin.action(description=_("It needs context…"), permissions=["annotate"])
    def record_needs_context(self, request, queryset):
        return self._record_with_note(request, queryset, Verdict.Kind.NEEDS_CONTEXT)


class VerdictInline(admin.TabularInline):
    """The verdict history, shown read-only: verdicts are added, never edited."""

    model = Verdict
    fk_name = "claim"
    fields = ("created_at", "reviewer", "verdict", "note")
    readonly_fields = fields
    ordering = ("-created_at", "-pk")
    extra = 0
    can_delete = False
    verbose_name = _("verdict")
    verbose_name_plural = _("verdict history")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("reviewer")


class CrossReferenceVerdictInline(VerdictInline):
    fk_name = "crossref"


class OutgoingReferenceFormSet(BaseInlineFormSet):
    """Refuse in the form what crossref_create would refuse on saving.

    The inline's forms leave out the claim they hang from, so the model's constraints on the
    pair are not checked with the forms; unchecked, a claim linked to itself or a pair listed
    twice reached the database.
    """

    def clean(self):
        super().clean()
        listed = set()
        for form in self.forms:
            if form in self.deleted_forms or not form.has_changed() or form.errors:
                continue
            to_claim, relation = (
                form.cleaned_data.get("to_claim"),
                form.cleaned_data.get("relation"),
            )
            if to_claim is None or not relation:
                continue
            if (to_claim.pk, relation) in listed:
                form.add_error("to_claim", _("This cross-reference is listed twice."))
                continue
            listed.add((to_claim.pk, relation))
            if self.instance.pk is None:
                continue  # a new claim: nothing refers to it yet
            candidate = CrossReference(
                pk=form.instance.pk, from_claim=self.instance, to_claim=to_claim, relation=relation
            )
            candidate._state.adding = form.instance.pk is None
            try:
                if to_claim.pk == self.instance.pk:
                    raise ValidationError(constraint_message(CrossReference, "crossref_not_self"))
                candidate.validate_constraints()
            except ValidationError as error:
                form.add_error(None, error)


class OutgoingReferenceInline(CheckedAutocompleteMixin, admin.TabularInline):
    model = CrossReference
    formset = OutgoingReferenceFormSet
    fk_name = "from_claim"
    fields = ("relation", "to_claim", "note", "review_status")
    readonly_fields = ("review_status",)
    autocomplete_fields = ("to_claim",)
    extra = 0
    can_delete = False
    verbose_name = _("cross-reference from this claim")
    verbose_name_plural = _("cross-references from this claim")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("to_claim")


class IncomingReferenceInline(admin.TabularInline):
    """References other claims make to this one; they are edited from the other claim."""

    model = CrossReference
    fk_name = "to_claim"
    fields = ("from_claim", "relation", "note", "review_status")
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name = _("cross-reference to this claim")
    verbose_name_plural = _("cross-references to this claim")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("from_claim")


@admin.register(Claim)
class ClaimAdmin(
    CheckedAutocompleteMixin,
    LargeTableMixin,
    RetractionAdminMixin,
    KeyedSearchMixin,
    ReviewActionsMixin,
    SimpleHistoryAdmin,
):
    form = ClaimForm
    target_argument = "claim"
    retract, restore, retraction_argument = claim_retract, claim_restore, "claim"
    list_display = (
        "quote_excerpt",
        "source",
        "figure",
        "unit",
        "review_status",
        "agree_count",
        "dispute_count",
        "needs_context_count",
    )
    # Sources and cited origins are too many to list as filters; the search finds them (a
    # claim's key holds its cited origin and its source's title).
    list_filter = ("review_status", "topics", "unit", "is_anchored", RetractedListFilter)
    search_ranked = True
    list_select_related = ("source",)
    deferred_in_list = ("search_key", "source__text", "source__search_key")
    # Newest first, by the primary key's index; the model's order runs across a join.
    ordering = ("-pk",)
    autocomplete_fields = ("source",)
    readonly_fields = (
        "public_id",
        "quote_start",
        "quote_end",
        "quote_prefix",
        "quote_suffix",
        "is_anchored",
        "review_status",
        "version",
        "created_by",
        "created_at",
        "updated_at",
        "figure_confirmed_by",
        "figure_confirmed_at",
        *RetractionAdminMixin.retraction_readonly,
    )
    fieldsets = (
        (None, {"fields": ("source", "quote", "start", "summary", "attributed_to", "topics")}),
        (
            _("Figure"),
            {
                "fields": (
                    "figure_text",
                    ("value", "hedge", "unit"),
                    ("value_lower", "value_upper"),
                    ("period_start", "period_end"),
                    "scope",
                    "figure_proposed",
                    "confirm_figure",
                    ("figure_confirmed_by", "figure_confirmed_at"),
                )
            },
        ),
        (
            _("Anchor"),
            {
                "fields": (
                    ("quote_start", "quote_end", "is_anchored"),
                    "quote_prefix",
                    "quote_suffix",
                )
            },
        ),
        (
            _("Record"),
            {
                "fields": (
                    "public_id",
                    "review_status",
                    "version",
                    "created_by",
                    "created_at",
                    "updated_at",
                    "expected_version",
                )
            },
        ),
        (_("Retraction"), {"fields": RetractionAdminMixin.retraction_readonly}),
    )
    filter_horizontal = ("topics",)
    inlines = (OutgoingReferenceInline, IncomingReferenceInline, VerdictInline)
    actions = (
        *ReviewActionsMixin.actions,
        "export_as_json",
        *RetractionAdminMixin.retraction_actions,
    )

    @admin.action(description=_("Export selected claims as JSON"), permissions=["view"])
    def export_as_json(self, request, queryset):
        # The export format is of reviewed claims; unreviewed ones in the selection are left out.
        reviewed = queryset.reviewed()
        if not reviewed.exists():
            self.message_user(
                request,
                _(
                    "None of the selected claims has a verdict yet; only reviewed claims are exported."
                ),
                messages.WARNING,
            )
            return None
        export = ClaimExport(reviewed, filters={"admin_selection": str(queryset.count())})
        return export_response(export, "json", request=request)

    def get_readonly_fields(self, request, obj=None):
        # A claim stays with its source; quoting another article is a new claim.
        if obj is not None:
            return ("source", *self.readonly_fields)
        return self.readonly_fields

    @admin.display(description=_("quote"), ordering="quote")
    def quote_excerpt(self, obj):
        return Truncator(obj.quote).chars(60)

    @admin.display(description=_("figure"), ordering="value")
    def figure(self, obj):
        return format_figure(obj)

    def save_model(self, request, obj, form, change):
        # Writes go through the services, which anchor the quote and keep the history.
        saved = form.save_with(request.user)
        obj.pk = saved.pk
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        # Topics were set by the service; only the inlines are left to save.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        # The admin's change message reads what each formset saved; the read-only verdict
        # history saves nothing, and cross-references are saved through their services.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if formset.model is not CrossReference:
            return
        for inline_form in formset.forms:
            if not inline_form.has_changed() or inline_form in formset.deleted_forms:
                continue
            data = inline_form.cleaned_data
            if inline_form.instance.pk:
                saved = crossref_update(
                    crossref=inline_form.instance,
                    user=request.user,
                    relation=data["relation"],
                    note=data["note"],
                )
                formset.changed_objects.append((saved, inline_form.changed_data))
            else:
                saved = crossref_create(
                    user=request.user,
                    from_claim=form.instance,
                    to_claim=data["to_claim"],
                    relation=data["relation"],
                    note=data["note"],
                )
                formset.new_objects.append(saved)


@admin.register(CrossReference)
class CrossReferenceAdmin(
    CheckedAutocompleteMixin,
    LargeTableMixin,
    RetractionAdminMixin,
    KeyedSearchMixin,
    ReviewActionsMixin,
    SimpleHistoryAdmin,
):
    form = CrossReferenceForm
    target_argument = "crossref"
    retract, restore, retraction_argument = crossref_retract, crossref_restore, "crossref"
    actions = (*ReviewActionsMixin.actions, *RetractionAdminMixin.retraction_actions)
    list_display = (
        "from_excerpt",
        "relation",
        "to_excerpt",
        "review_status",
        "agree_count",
        "dispute_count",
    )
    list_filter = ("relation", "review_status", RetractedListFilter)
    search_fields = ("search_key", "from_claim__search_key", "to_claim__search_key")
    # Retracted pairs and claims too: the list shows them when asked.
    words_holding = staticmethod(partial(pairs_holding, retracted=True))
    list_select_related = ("from_claim", "to_claim")
    deferred_in_list = ("search_key", "from_claim__search_key", "to_claim__search_key")
    ordering = ("-pk",)
    autocomplete_fields = ("from_claim", "to_claim")
    readonly_fields = (
        "review_status",
        "created_by",
        "created_at",
        "updated_at",
        *RetractionAdminMixin.retraction_readonly,
    )
    inlines = (CrossReferenceVerdictInline,)

    @admin.display(description=_("claim"))
    def from_excerpt(self, obj):
        return Truncator(obj.from_claim.quote).chars(40)

    @admin.display(description=_("other claim"))
    def to_excerpt(self, obj):
        return Truncator(obj.to_claim.quote).chars(40)

    def get_readonly_fields(self, request, obj=None):
        # The pair is what a cross-reference is about; a different pair is a new one.
        if obj is not None:
            return ("from_claim", "to_claim", *self.readonly_fields)
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            saved = crossref_update(
                crossref=obj, user=request.user, relation=data["relation"], note=data["note"]
            )
        else:
            saved = crossref_create(
                user=request.user,
                from_claim=data["from_claim"],
                to_claim=data["to_claim"],
                relation=data["relation"],
                note=data["note"],
            )
        obj.pk = saved.pk
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        # The only inline is the read-only verdict history: nothing to save, but the
        # admin's change message reads what each formset saved.
        for formset in formsets:
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


@admin.register(Verdict)
class VerdictAdmin(LargeTableMixin, KeyedSearchMixin, admin.ModelAdmin):
    """Verdict history: readable by staff, never edited or deleted."""

    list_display = ("created_at", "reviewer", "verdict", "target_excerpt", "note_excerpt")
    # Reviewers are a short list of accounts; listing only those with verdicts would scan
    # every verdict, and so would a date hierarchy's list of years.
    list_filter = ("verdict", "reviewer")
    search_fields = ("search_key", "claim__search_key", "crossref__search_key")
    # And the pair's claims, and the reviewer's username.
    words_holding = staticmethod(partial(verdicts_holding, reviewers=True))
    list_select_related = ("reviewer", "claim", "crossref__from_claim", "crossref__to_claim")
    # A row shows its verdict and the quotes it is on: each claim's fifty columns, read and
    # made into objects for four claims a row, were a third of the page's time.
    loaded_in_list = (
        "created_at",
        "verdict",
        "note",
        "reviewer__username",
        "claim__quote",
        "crossref__relation",
        "crossref__from_claim__quote",
        "crossref__to_claim__quote",
    )

    @admin.display(description=_("on"))
    def target_excerpt(self, obj):
        if obj.claim_id:
            return format_html("{}: {}", _("claim"), Truncator(obj.claim.quote).chars(40))
        return format_html("{}: {}", _("cross-reference"), Truncator(str(obj.crossref)).chars(60))

    @admin.display(description=_("note"))
    def note_excerpt(self, obj):
        return Truncator(obj.note).chars(60)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Topic)
class TopicAdmin(KeyedSearchMixin, admin.ModelAdmin):
    list_display = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}

    def save_model(self, request, obj, form, change):
        fields = {"slug": form.cleaned_data["slug"], "name": form.cleaned_data["name"]}
        saved = topic_update(topic=obj, **fields) if change else topic_create(**fields)
        obj.pk = saved.pk
        obj.refresh_from_db()
