"""The OpenAPI schema describes every endpoint, and the records as the API sends them."""

import json
import re

import pytest
from drf_spectacular.validation import validate_schema


@pytest.fixture
def schema(api_client_for, viewer):
    response = api_client_for(viewer).get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_schema_is_valid_openapi_and_names_every_endpoint(schema):
    validate_schema(schema)  # raises on a schema that breaks the OpenAPI specification

    assert set(schema["paths"]) == {
        "/api/v1/claims/",
        "/api/v1/claims/{public_id}/",
        "/api/v1/claims/changes/",
        "/api/v1/sources/",
        "/api/v1/sources/{key}/",
        "/api/v1/crossrefs/",
        "/api/v1/verdicts/",
    }
    assert set(schema["paths"]["/api/v1/verdicts/"]) == {"get", "post"}
    assert schema["components"]["securitySchemes"]["tokenAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "A token made on the API tokens page (/account/tokens/).",
    }


def test_the_claim_list_documents_the_claim_lists_own_parameters(schema):
    names = {p["name"] for p in schema["paths"]["/api/v1/claims/"]["get"]["parameters"]}

    assert {"q", "status", "topic", "source", "sort", "cursor", "limit"} <= names


def test_the_schema_describes_the_records_key_for_key(
    schema, api_client_for, viewer, make_claim, reviewer
):
    from claims.services import verdict_create

    claim = make_claim()
    verdict_create(claim=claim, reviewer=reviewer, verdict="agree")
    client = api_client_for(viewer)
    components = schema["components"]["schemas"]

    def keys(name):
        return set(components[name]["properties"])

    detail = client.get(f"/api/v1/claims/{claim.public_id}/").json()
    listed = client.get("/api/v1/claims/").json()["results"][0]
    source = client.get(f"/api/v1/sources/{claim.source.key}/").json()
    verdict = client.get("/api/v1/verdicts/").json()["results"][0]

    assert set(detail) == keys("ClaimDetail")
    assert set(detail["figure"]) == keys("Figure")
    assert set(detail["annotations"][0]) == keys("Annotation")
    assert set(listed) == keys("Claim")
    assert set(source) == keys("SourceDetail")
    assert set(verdict) == keys("Verdict")


def test_the_docs_page_runs_only_scripts_served_by_hecha(client, viewer):
    client.force_login(viewer)

    page = client.get("/api/v1/docs/").content.decode()
    script = client.get("/api/v1/docs/", {"script": ""})

    assert "<style" not in page and "<script>" not in page
    assert all(
        address.startswith(("/static/drf_spectacular_sidecar/", "/api/v1/docs/?"))
        for address in re.findall(r'(?:src|href)="([^"]*)"', page)
    )
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()
