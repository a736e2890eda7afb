import pytest
from harness import Symlink

from scorecard.model import Location, Status

CATALOG = """\
apiVersion: backstage.io/v1alpha1
kind: System
metadata:
  name: shop
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: shop-api
  annotations:
    github.com/project-slug: acme/shop-api
    backstage.io/techdocs-ref: dir:.
spec:
  owner: team-a
"""


@pytest.mark.parametrize(
    "files,message,location",
    [
        ({"docs/index.md": "x"}, "docs/ holds 1 tracked file", "docs/"),
        ({"doc/a.md": "x", "doc/deep/b/c.rst": "x"}, "doc/ holds 2 tracked files", "doc/"),
        (
            {"documentation/guide/intro.md": "x"},
            "documentation/ holds 1 tracked file",
            "documentation/",
        ),
        ({"mkdocs.yml": "site_name: x"}, "MkDocs configuration mkdocs.yml found", "mkdocs.yml"),
        (
            {"mkdocs.yaml": "site_name: x", "docs/index.md": "x"},
            "MkDocs configuration mkdocs.yaml found",
            "mkdocs.yaml",
        ),
        (
            {"docs/source/conf.py": "project = 'x'", "docs/source/index.rst": "x"},
            "Sphinx configuration docs/source/conf.py found",
            "docs/source/conf.py",
        ),
        (
            {"docusaurus.config.js": "module.exports = {}"},
            "Docusaurus configuration docusaurus.config.js found",
            "docusaurus.config.js",
        ),
        (
            {"website/docusaurus.config.ts": "x", "website-old/a": "x", "website.md": "x"},
            "Docusaurus configuration website/docusaurus.config.ts found",
            "website/docusaurus.config.ts",
        ),
        (
            {"apps/site/docusaurus.config.mjs": "x", "apps/api/main.go": "x"},
            "Docusaurus configuration apps/site/docusaurus.config.mjs found",
            "apps/site/docusaurus.config.mjs",
        ),
    ],
)
def test_present(run_check, files, message, location):
    r = run_check("docs-present", files)
    assert r.status is Status.PASS
    assert r.message == message
    assert r.locations == (Location(location),)


def test_techdocs_annotation_in_any_document(run_check):
    r = run_check("docs-present", {"catalog-info.yaml": CATALOG})
    assert r.status is Status.PASS
    assert r.message == (
        "TechDocs annotation backstage.io/techdocs-ref found at catalog-info.yaml:12"
    )
    assert r.locations == (Location("catalog-info.yaml", 12),)


def test_techdocs_in_yml(run_check):
    r = run_check("docs-present", {"catalog-info.yml": CATALOG})
    assert r.locations == (Location("catalog-info.yml", 12),)


NONE = (
    "no docs/, doc/ or documentation/ folder, MkDocs, Sphinx or Docusaurus configuration, "
    "or TechDocs annotation in catalog-info.yaml"
)


@pytest.mark.parametrize(
    "files",
    [
        {"README.md": "x"},
        {"Docs/index.md": "x", "src/docs/a.md": "x", "docs.md": "x", "docsite/a.md": "x"},
        {"sub/mkdocs.yml": "x", "MkDocs.yml": "x"},
        {"src/conf.py": "x"},
        {"a/b/c/docusaurus.config.js": "x", "docusaurus.config.json": "x"},
        {"docs": Symlink("../../outside-docs")},
        {"catalog-info.yaml": CATALOG.replace("backstage.io/techdocs-ref", "backstage.io/other")},
        {"catalog-info.yaml": CATALOG.replace("dir:.", "''")},
        {"catalog-info.yaml": "- a list\n- not an entity\n"},
        {"catalog-info.yaml": "metadata:\n  annotations: [backstage.io/techdocs-ref]\n"},
        {"sub/catalog-info.yaml": CATALOG},
    ],
)
def test_absent(run_check, files):
    r = run_check("docs-present", files)
    assert r.status is Status.FAIL
    assert r.message == NONE
    assert r.locations == ()


def test_malformed_catalog(run_check):
    r = run_check("docs-present", {"catalog-info.yaml": "metadata:\n  name: [unclosed\n"})
    assert r.status is Status.FAIL
    assert r.message.startswith(NONE + "; catalog-info.yaml does not parse (line ")
    assert r.locations[0].path == "catalog-info.yaml"
    assert r.locations[0].line is not None


@pytest.mark.parametrize(
    "content,reason",
    [(b"\x00\x01", "is a binary file"), (b"metadata: caf\xe9", "is not valid UTF-8")],
)
def test_unreadable_catalog(run_check, content, reason):
    r = run_check("docs-present", {"catalog-info.yaml": content})
    assert r.status is Status.FAIL
    assert f"catalog-info.yaml does not parse ({reason}" in r.message
    assert r.locations == (Location("catalog-info.yaml"),)


def test_bad_catalog_does_not_matter_when_docs_exist(run_check):
    r = run_check("docs-present", {"catalog-info.yaml": "{", "docs/a.md": "x"})
    assert r.status is Status.PASS


def test_order_of_evidence(run_check):
    files = {"website/docusaurus.config.js": "x", "catalog-info.yaml": CATALOG}
    assert run_check("docs-present", files).message.startswith("TechDocs annotation")
    files["docs/a.md"] = "x"
    assert run_check("docs-present", files).message == "docs/ holds 1 tracked file"
    files["docs/conf.py"] = "x"
    assert run_check("docs-present", files).message.startswith("Sphinx configuration")
    files["mkdocs.yml"] = "x"
    assert run_check("docs-present", files).message.startswith("MkDocs configuration")


def test_shallowest_docusaurus_config(run_check):
    r = run_check(
        "docs-present",
        {"a/b/docusaurus.config.js": "x", "z/docusaurus.config.ts": "x"},
        git_repo=False,
    )
    assert r.locations == (Location("z/docusaurus.config.ts"),)
