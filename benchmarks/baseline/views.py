"""Generic views with OFFSET pagination and `icontains` search, as a first version would have."""

from django.db.models import Count, Q
from django.http import HttpResponse
from django.template import engines
from django.views.generic import DetailView, ListView

from claims.models import Claim, CrossReference
from sources.models import Source

PAGE = """<!doctype html><html><body><h1>{{ title }}</h1>
<form method="get"><input name="q" value="{{ request.GET.q }}">
<button>Filter</button></form>
<p>{{ paginator.count }} rows</p><ol>{% for row in object_list %}<li>{{ row.html }}</li>{% endfor %}</ol>
{% if page_obj.has_next %}<a href="?page={{ page_obj.next_page_number }}">Next</a>{% endif %}
</body></html>"""


class TemplatedMixin:
    template = PAGE

    def render_to_response(self, context, **kwargs):
        template = engines["django"].from_string(self.template)
        return HttpResponse(template.render(context, self.request))


class Row:
    def __init__(self, html):
        self.html = html


class ClaimListView(TemplatedMixin, ListView):
    """Claims in the model's order (its source's date and title), filters from the form."""

    paginate_by = 25

    def get_queryset(self):
        claims = Claim.objects.select_related("source").prefetch_related("topics")
        get = self.request.GET
        if get.get("q"):
            q = get["q"]
            claims = claims.filter(
                Q(quote__icontains=q) | Q(summary__icontains=q) | Q(source__title__icontains=q)
            )
        if get.get("status"):
            claims = claims.filter(review_status=get["status"])
        if get.get("unit"):
            claims = claims.filter(unit=get["unit"])
        if get.get("sort") in ("value", "-value"):
            claims = claims.order_by(get["sort"], "pk")
        for field in ("outlet", "region", "script"):
            if get.get(field):
                claims = claims.filter(**{f"source__{field}": get[field]})
        return claims

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = "Claims"
        context["object_list"] = [
            Row(
                f"{claim.quote} — {claim.source.title}, {claim.source.outlet}, "
                f"{claim.source.published_on} {[t.name for t in claim.topics.all()]}"
            )
            for claim in context["object_list"]
        ]
        return context


class SourceListView(TemplatedMixin, ListView):
    paginate_by = 25

    def get_queryset(self):
        return Source.objects.annotate(claim_count=Count("claims")).order_by(
            "-published_on", "title"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = "Sources"
        context["object_list"] = [
            Row(f"{s.title} {s.outlet} {s.published_on} {s.claim_count}")
            for s in context["object_list"]
        ]
        return context


class CrossReferenceListView(TemplatedMixin, ListView):
    paginate_by = 25

    def get_queryset(self):
        return CrossReference.objects.select_related(
            "from_claim__source", "to_claim__source"
        ).order_by("relation", "-created_at")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = "Cross-references"
        context["object_list"] = [
            Row(f"{c.from_claim.quote} {c.relation} {c.to_claim.quote}")
            for c in context["object_list"]
        ]
        return context


DETAIL = """<!doctype html><html><body><h1>{{ object }}</h1>
{% for verdict in object.verdicts.all %}<p>{{ verdict.reviewer }} {{ verdict.verdict }} {{ verdict.note }}</p>{% endfor %}
{% for ref in object.outgoing_references.all %}<p>{{ ref.relation }} {{ ref.to_claim.quote }} {{ ref.to_claim.source.title }}</p>{% endfor %}
{% for ref in object.incoming_references.all %}<p>{{ ref.relation }} {{ ref.from_claim.quote }} {{ ref.from_claim.source.title }}</p>{% endfor %}
{% for claim in object.claims.all %}<p>{{ claim.quote }}</p>{% endfor %}
{{ object.source.text|default:"" }}{{ object.text|default:"" }}
</body></html>"""


class ClaimDetailView(TemplatedMixin, DetailView):
    model = Claim
    template = DETAIL


class SourceDetailView(TemplatedMixin, DetailView):
    model = Source
    template = DETAIL
