"""The whole API's OpenAPI schema is valid and generates without a warning."""

import io

import pytest
import yaml
from django.core.management import call_command


@pytest.mark.django_db
def test_openapi_schema_validates_without_warnings():
    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    schema = yaml.safe_load(out.getvalue())
    paths = schema["paths"]
    # every app's API is in it, and every endpoint requires authentication
    for prefix in ("/api/organizations/", "/api/members/", "/api/users/me/"):
        assert prefix in paths
    assert all(
        operation.get("security") != [{}] and "security" in operation
        for path in paths.values()
        for operation in path.values()
        if isinstance(operation, dict)
    )
