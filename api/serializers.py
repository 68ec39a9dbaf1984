"""The shapes of the API's records, for the OpenAPI schema, and the verdict a client sends.

Records are built in api.records (claims and sources by the export's own builders); the
serializers here declare their fields so that the schema describes them, and hand the
records through unchanged.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from claims.models import Claim, CrossReference, ReviewStatus, Verdict
from sources.models import Source


class RecordSerializer(serializers.Serializer):
    """A record built elsewhere; the declared fields describe it."""

    def to_representation(self, instance):
        return instance


class TallySerializer(RecordSerializer):
    agree = serializers.IntegerField()
    dispute = serializers.IntegerField()
    needs_context = serializers.IntegerField()


class AnchorSerializer(RecordSerializer):
    start = serializers.IntegerField(help_text=_("Offset of the quote in the text, in characters."))
    end = serializers.IntegerField()
    prefix = serializers.CharField(help_text=_("Up to 32 characters before the quote."))
    suffix = serializers.CharField(help_text=_("Up to 32 characters after the quote."))


class FigureSerializer(RecordSerializer):
    as_written = serializers.CharField()
    value = serializers.CharField(
        allow_null=True, help_text=_("A decimal as text: no exponent, no trailing zeros.")
    )
    lower = serializers.CharField(allow_null=True)
    upper = serializers.CharField(allow_null=True)
    hedge = serializers.ChoiceField(choices=Claim.Hedge.choices, allow_blank=True)
    unit = serializers.ChoiceField(choices=Claim.Unit.choices, allow_blank=True)
    period_start = serializers.IntegerField(allow_null=True)
    period_end = serializers.IntegerField(allow_null=True)
    scope = serializers.CharField()


class AnnotationSerializer(RecordSerializer):
    reviewer = serializers.CharField(help_text=_("The reviewer's user name."))
    verdict = serializers.ChoiceField(choices=Verdict.Kind.choices)
    note = serializers.CharField()
    at = serializers.DateTimeField()


class ClaimCrossReferenceSerializer(RecordSerializer):
    relation = serializers.ChoiceField(choices=CrossReference.Relation.choices)
    direction = serializers.ChoiceField(
        choices=["outgoing", "incoming"],
        help_text=_("outgoing: this claim is the one the relation starts from."),
    )
    claim = serializers.UUIDField(help_text=_("The other claim's id."))
    note = serializers.CharField()
    status = serializers.ChoiceField(choices=ReviewStatus.choices)
    tally = TallySerializer()
    annotations = AnnotationSerializer(many=True)


class ClaimSerializer(RecordSerializer):
    """A claim as lists show it: the export's record up to its tally, and when it changed."""

    id = serializers.UUIDField(help_text=_("The claim's stable id; it survives export and import."))
    source = serializers.SlugField(help_text=_("The key of the claim's source."))
    quote = serializers.CharField(help_text=_("Exactly as published, in the article's script."))
    anchor = AnchorSerializer()
    anchored = serializers.BooleanField(
        help_text=_("False when a corrected source no longer holds the quote.")
    )
    summary = serializers.CharField()
    attributed_to = serializers.CharField(help_text=_("Whom the article cites for the claim."))
    topics = serializers.ListField(child=serializers.SlugField())
    figure = FigureSerializer(allow_null=True)
    status = serializers.ChoiceField(choices=ReviewStatus.choices)
    tally = TallySerializer()
    updated_at = serializers.DateTimeField(
        help_text=_("When the claim itself was last edited; a new verdict does not change it.")
    )


class ClaimDetailSerializer(ClaimSerializer):
    """A claim with every verdict on it and every cross-reference to or from it."""

    annotations = AnnotationSerializer(many=True)
    cross_references = ClaimCrossReferenceSerializer(many=True)


class ClaimChangeSerializer(ClaimDetailSerializer):
    """A claim as the changes feed gives it: in full, or only its id when retracted."""

    retracted = serializers.BooleanField(
        help_text=_(
            "True when an Editor retracted the claim; the record then holds only `id`, "
            "`retracted` and `updated_at`, and the claim is to be removed."
        )
    )


class SourceSerializer(RecordSerializer):
    """A source as lists show it: everything but its text."""

    key = serializers.SlugField()
    title = serializers.CharField()
    outlet = serializers.CharField()
    author = serializers.CharField()
    published = serializers.DateField(allow_null=True)
    url = serializers.CharField(help_text=_("The article's address, or empty when not known."))
    script = serializers.ChoiceField(choices=Source.Script.choices)
    region = serializers.ChoiceField(choices=Source.Region.choices)


class SourceDetailSerializer(SourceSerializer):
    text = serializers.CharField(help_text=_("The full readable text of the article."))


class CrossReferenceSerializer(RecordSerializer):
    id = serializers.IntegerField()
    from_claim = serializers.UUIDField()
    to_claim = serializers.UUIDField()
    relation = serializers.ChoiceField(choices=CrossReference.Relation.choices)
    note = serializers.CharField()
    status = serializers.ChoiceField(choices=ReviewStatus.choices)
    tally = TallySerializer()
    created_at = serializers.DateTimeField()


class VerdictSerializer(RecordSerializer):
    id = serializers.IntegerField()
    claim = serializers.UUIDField(allow_null=True, help_text=_("The claim judged, if a claim."))
    crossref = serializers.IntegerField(
        allow_null=True, help_text=_("The cross-reference judged, if a cross-reference.")
    )
    reviewer = serializers.CharField()
    verdict = serializers.ChoiceField(choices=Verdict.Kind.choices)
    note = serializers.CharField()
    at = serializers.DateTimeField()


class VerdictCreateSerializer(serializers.Serializer):
    """A verdict to record, on a claim or on a cross-reference: the same as the pages ask."""

    claim = serializers.SlugRelatedField(
        slug_field="public_id",
        queryset=Claim.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("The id of the claim judged."),
    )
    crossref = serializers.PrimaryKeyRelatedField(
        queryset=CrossReference.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("The id of the cross-reference judged."),
    )
    verdict = serializers.ChoiceField(choices=Verdict.Kind.choices)
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Required for a dispute: say what is wrong and how you know."),
    )
