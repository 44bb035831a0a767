"""/docs (Swagger UI) and /redoc (ReDoc) render with no network: every asset their pages load
is served by the app itself, with its content type."""

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from db.connect import DatabaseTarget
from server import create_app

ASSET_URL = re.compile(r"""(?:src|href|spec-url)="([^"]+)"|url: '([^']+)'""")
SPEC = {"/openapi.json": ("application/json", b'"openapi"')}
SWAGGER_ASSETS = {
    **SPEC,
    "/web/vendor/swagger-ui/swagger-ui-bundle.js": ("javascript", b"SwaggerUIBundle"),
    "/web/vendor/swagger-ui/swagger-ui.css": ("text/css", b".swagger-ui"),
    "/web/vendor/swagger-ui/favicon-32x32.png": ("image/png", b"\x89PNG"),
}
REDOC_ASSETS = {
    **SPEC,
    "/web/vendor/redoc/redoc.standalone.js": ("javascript", b"Redoc"),
    "/web/vendor/swagger-ui/favicon-32x32.png": ("image/png", b"\x89PNG"),
}


@pytest.fixture(scope="module")
def client(database: DatabaseTarget) -> Iterator[TestClient]:
    with TestClient(create_app(database)) as client:
        yield client


def loaded_urls(html: str) -> set[str]:
    """Every URL the page loads: scripts, styles, icons and the OpenAPI document."""
    return {attribute or url for attribute, url in ASSET_URL.findall(html)}


@pytest.mark.parametrize(("page", "assets"), [("/docs", SWAGGER_ASSETS), ("/redoc", REDOC_ASSETS)])
def test_the_docs_pages_load_only_local_assets(
    client: TestClient, page: str, assets: dict[str, tuple[str, bytes]]
) -> None:
    response = client.get(page)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert loaded_urls(response.text) == set(assets)
    assert "http" not in response.text  # no CDN, no web fonts
    for url, (content_type, marker) in assets.items():
        asset = client.get(url)
        assert asset.status_code == 200, url
        assert content_type in asset.headers["content-type"], url
        assert marker in asset.content[:200_000], url


def test_swagger_ui_is_told_not_to_call_the_online_validator(client: TestClient) -> None:
    assert '"validatorUrl": null' in client.get("/docs").text


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_the_docs_pages_may_load_only_from_the_server(client: TestClient, page: str) -> None:
    policy = client.get(page).headers["content-security-policy"]
    assert "default-src 'self'" in policy and "img-src 'self' data:" in policy
