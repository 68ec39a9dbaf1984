"""The read API and its one write, recording a verdict; mounted at /api/v1/."""

from datetime import UTC

from csp.decorators import csp_update
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils.dateparse import parse_datetime
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import exceptions, routers, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from api import records, selectors
from api.filters import ApiClaimFilterSet, PageFilterBackend, VerdictFilterSet
from api.pagination import Key, after, decode_cursor, encode_cursor, keyed, page_size_of
from api.permissions import ReadsHecha, RecordsVerdicts
from api.serializers import (
    ClaimChangeSerializer,
    ClaimDetailSerializer,
    ClaimSerializer,
    CrossReferenceSerializer,
    SourceDetailSerializer,
    SourceSerializer,
    VerdictCreateSerializer,
    VerdictSerializer,
)
from claims.filters import CrossReferenceFilterSet
from claims.models import Claim, CrossReference, Verdict
from claims.services import verdict_create
from sources.models import Source


class AnswersForItself:
    """Let the API answer requests without a session itself, with 401 and the scheme to use.

    The site's LoginRequiredMiddleware would send them to the login page instead; the
    API's authentication and permission classes do the checking.
    """

    @classmethod
    def as_view(cls, *args, **kwargs):
        return login_not_required(super().as_view(*args, **kwargs))


class RecordListMixin:
    """List records a page at a time, built from the page's rows by `records_of`."""

    def records_of(self, rows):
        raise NotImplementedError

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        data = self.get_serializer(self.records_of(page), many=True).data
        return self.get_paginated_response(data)


@extend_schema(tags=["claims"])
class ClaimViewSet(AnswersForItself, RecordListMixin, viewsets.ReadOnlyModelViewSet):
    """Claims, selected and sorted by the claim list's own filters."""

    model = Claim  # names its pages (api.views.names)

    filter_backends = [PageFilterBackend]
    filterset_class = ApiClaimFilterSet
    lookup_field = "public_id"
    lookup_value_converter = "uuid"
    serializer_class = ClaimSerializer

    def get_queryset(self):
        return selectors.api_claims()

    def get_serializer_class(self):
        return ClaimDetailSerializer if self.action == "retrieve" else ClaimSerializer

    def records_of(self, rows):
        return records.claim_records(rows, links=False)

    @extend_schema(summary="List claims")
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="A claim, with its verdicts and cross-references")
    def retrieve(self, request, *args, **kwargs):
        claim = get_object_or_404(self.get_queryset(), public_id=kwargs["public_id"])
        (record,) = records.claim_records([claim], links=True)
        return Response(self.get_serializer(record).data)


FEED_DESCRIPTION = """\
Every claim changed since a point, oldest change first, by (updated_at, id).

Start with `since` set to a date and time (claims changed at or after it) or leave it out
(every claim); then pass the `cursor` of each answer as `since` for the next. A cursor
continues strictly after the last claim returned, so while nothing changes no claim is
missed or returned twice. A claim edited after it was returned is returned again, later
in the feed, with its new `updated_at`. A verdict does not change `updated_at`: follow the
verdict list for those. When `results` is empty, keep the same cursor and ask again later.

Each record says whether the claim is `retracted`. A retracted claim (an Editor took it
back as made in error) comes as its `id`, `retracted: true` and `updated_at` only: remove
it. Restored, it comes again in full. Retracting or restoring a cross-reference changes
both its claims' `updated_at`.
"""


@extend_schema(tags=["claims"])
class ClaimChangesView(AnswersForItself, APIView):
    """The claims changed since a cursor or a time, for keeping another system in sync."""

    name = _("Changed claims")

    # Neither column is ever empty: the position after a cursor is then one comparison of
    # the row (updated_at, id), which the index of that order reads from the cursor on.
    # Taken for nullable, each page past the first sorted every claim (0.96 s at a million).
    keys = (Key("updated_at", False, nullable=False), Key("pk", False, nullable=False))

    @extend_schema(
        summary="Claims changed since a cursor or a time",
        description=FEED_DESCRIPTION,
        parameters=[
            OpenApiParameter(
                "since",
                OpenApiTypes.STR,
                description="A cursor from an earlier answer, or an ISO 8601 date and time "
                "(UTC when it has no offset).",
            ),
            OpenApiParameter(
                "limit", OpenApiTypes.INT, description="Claims per answer, 1 to 200 (default 50)."
            ),
        ],
        responses=inline_serializer(
            "ClaimChanges",
            {
                "results": ClaimChangeSerializer(many=True),
                "cursor": serializers.CharField(
                    help_text="Pass as `since` to continue after the last claim returned."
                ),
                "more": serializers.BooleanField(
                    help_text="Whether more claims had changed when this answer was made."
                ),
            },
        ),
    )
    def get(self, request):
        limit = page_size_of(request)
        queryset = keyed(selectors.api_claim_changes(), self.keys)
        since = request.query_params.get("since", "")
        cursor = since
        if since:
            queryset = queryset.filter(after(self.keys, self.position(queryset, since)))
        rows = list(queryset[: limit + 1])
        page = rows[:limit]
        if page:
            cursor = encode_cursor(self.keys, page[-1])
        elif not since:
            cursor = ""  # nothing at all yet: start from the beginning next time too
        return Response(
            {
                "results": records.claim_change_records(page),
                "cursor": cursor,
                "more": len(rows) > limit,
            }
        )

    def position(self, queryset, since: str) -> list:
        try:
            moment = parse_datetime(since)
        except ValueError:
            moment = None
        if moment is not None:
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)
            # Strictly after (moment, 0) is every claim changed at or after the moment.
            return [moment, 0]
        try:
            return decode_cursor(queryset, self.keys, since)
        except ValueError:
            raise exceptions.ValidationError(
                {
                    "since": [
                        _(
                            "Give a cursor from an earlier answer of this feed, or a date and "
                            "time such as 2025-03-01T00:00:00Z."
                        )
                    ]
                }
            ) from None


@extend_schema(tags=["sources"])
class SourceViewSet(AnswersForItself, RecordListMixin, viewsets.ReadOnlyModelViewSet):
    """The articles claims are quoted from."""

    model = Source  # names its pages (api.views.names)

    lookup_field = "key"
    lookup_value_converter = "slug"

    def get_queryset(self):
        return selectors.api_sources(text=self.action == "retrieve")

    def get_serializer_class(self):
        return SourceDetailSerializer if self.action == "retrieve" else SourceSerializer

    def records_of(self, rows):
        return records.source_records(rows, text=False)

    @extend_schema(summary="List sources (without their text)")
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="A source, with its full text")
    def retrieve(self, request, *args, **kwargs):
        (record,) = records.source_records([self.get_object()], text=True)
        return Response(self.get_serializer(record).data)


@extend_schema(tags=["cross-references"])
class CrossReferenceViewSet(AnswersForItself, RecordListMixin, viewsets.GenericViewSet):
    """Statements that two claims bear on each other, selected by the list page's filters."""

    model = CrossReference  # names its pages (api.views.names)

    filter_backends = [DjangoFilterBackend]
    filterset_class = CrossReferenceFilterSet
    serializer_class = CrossReferenceSerializer

    def get_queryset(self):
        return selectors.api_crossrefs()

    def records_of(self, rows):
        return [records.crossref_item(crossref) for crossref in rows]

    @extend_schema(summary="List cross-references")
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


@extend_schema(tags=["verdicts"])
class VerdictViewSet(AnswersForItself, RecordListMixin, viewsets.GenericViewSet):
    """Reviewers' verdicts, newest first; a Reviewer's review token records new ones."""

    model = Verdict  # names its pages (api.views.names)

    filter_backends = [DjangoFilterBackend]
    filterset_class = VerdictFilterSet
    permission_classes = [ReadsHecha, RecordsVerdicts]
    serializer_class = VerdictSerializer

    def get_queryset(self):
        return selectors.api_verdicts()

    def records_of(self, rows):
        return [records.verdict_item(verdict) for verdict in rows]

    @extend_schema(summary="List verdicts")
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="Record a verdict",
        description="Record the token owner's verdict on a claim or a cross-reference, as the "
        "claim page does: it needs a token with the review scope and the Reviewer role. "
        "Earlier verdicts stay; each reviewer's latest one counts. A dispute needs a note.",
        request=VerdictCreateSerializer,
        responses={201: VerdictSerializer},
    )
    def create(self, request, *args, **kwargs):
        given = VerdictCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            verdict = verdict_create(reviewer=request.user, **given.validated_data)
        except DjangoValidationError as error:
            raise exceptions.ValidationError(serializers.as_serializer_error(error)) from None
        saved = self.get_queryset().get(pk=verdict.pk)
        return Response(
            self.get_serializer(records.verdict_item(saved)).data, status.HTTP_201_CREATED
        )

    def filter_queryset(self, queryset):
        # Filters select what a list shows; a new verdict is found by its own id.
        return super().filter_queryset(queryset) if self.action == "list" else queryset


class ApiRootView(AnswersForItself, routers.APIRootView):
    """Hecha's API: claims, sources, cross-references and verdicts. See the schema and docs."""

    name = _("Hecha API")

    # Beside the resources the router lists: the feed of changed claims, the schema and the
    # page that reads it, so that a client finds every part of the API from its root.
    other_links = {"changes": "claim_changes", "schema": "schema", "docs": "docs"}

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        namespace = request.resolver_match.namespace
        for key, name in self.other_links.items():
            response.data[key] = reverse(f"{namespace}:{name}", request=request)
        return response


class SchemaView(AnswersForItself, SpectacularAPIView):
    """The OpenAPI schema of this API."""


# Swagger UI's stylesheet draws its icons (expand, copy) as inline SVG images.
@method_decorator(csp_update({"img-src": ["data:"]}), name="dispatch")
class DocsView(AnswersForItself, SpectacularSwaggerSplitView):
    """The API's schema as a page to read and try, served with Hecha's own files.

    The split view sends its script as a file rather than inline, as the pages' content
    security policy asks.
    """

    template_name = "api/swagger_ui.html"
