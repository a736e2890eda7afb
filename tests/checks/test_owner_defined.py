import pytest
from harness import Symlink

from scorecard.checks import _catalog
from scorecard.model import Location, Status


def catalog(owner="team-a", kind="Component", extra=""):
    spec = f"  owner: {owner}\n" if owner is not None else ""
    return (
        f"apiVersion: backstage.io/v1alpha1\nkind: {kind}\nmetadata:\n  name: svc\n"
        f"spec:\n  type: service\n{spec}{extra}"
    )


def test_catalog_owner(run_check):
    r = run_check("owner-defined", {"catalog-info.yaml": catalog(), "CODEOWNERS": "* @org/other\n"})
    assert r.status is Status.PASS
    assert r.data["owner"] == "team-a" and r.data["source"] == "catalog-info.yaml"
    assert "`team-a`" in r.message and "catalog-info.yaml" in r.message
    assert r.locations == (Location("catalog-info.yaml", 7),)


def test_first_component_wins(run_check):
    text = (
        catalog("group:default/first-team", kind="API")
        + "---\n"
        + catalog("team-b")
        + "---\n"
        + catalog("team-c")
    )
    r = run_check("owner-defined", {"catalog-info.yml": text})
    assert r.data["owner"] == "team-b"
    assert r.locations == (Location("catalog-info.yml", 15),)


def test_invalid_catalog_still_supplies_its_owner(run_check):
    # no spec.lifecycle, bad name and apiVersion: catalog-info-valid fails, the owner counts
    text = catalog().replace("backstage.io/v1alpha1", "v9").replace("name: svc", "name: -x-")
    r = run_check("owner-defined", {"catalog-info.yaml": text})
    assert r.status is Status.PASS and r.data["owner"] == "team-a"


@pytest.mark.parametrize(
    "text, owner, line",
    [
        (catalog(extra="  lifecycle: [broken\n"), "team-a", 7),  # YAML error after the owner
        ("kind: Component\nspec: {owner: 'team-q', x: [}\n", "team-q", 2),
        ("a: [broken\n---\n" + catalog("team-z"), "team-z", 9),  # a broken document before
    ],
)
def test_malformed_catalog_still_supplies_what_parses(run_check, text, owner, line):
    r = run_check("owner-defined", {"catalog-info.yaml": text})
    assert r.status is Status.PASS
    assert r.data["owner"] == owner
    assert r.locations == (Location("catalog-info.yaml", line),)


@pytest.mark.parametrize(
    "codeowners, owners, line",
    [
        ("* @org/team\n", ["@org/team"], 1),
        ("# c\n* @a @b\n/docs/ @d\n", ["@a", "@b"], 2),
        ("* @a\n** @b\n/** team@example.com\n*.js @js\n", ["team@example.com"], 3),
        ("* @a\n* \n", ["@a"], 1),  # the last rule *with owners*
        ("* @a\n* @b not-an-owner\n", ["@a"], 1),  # invalid lines are skipped
    ],
)
def test_codeowners_catch_all(run_check, codeowners, owners, line):
    r = run_check(
        "owner-defined",
        {".github/CODEOWNERS": codeowners, "catalog-info.yaml": catalog(owner=None)},
    )
    assert r.status is Status.PASS
    assert r.data["owner"] == owners[0] and r.data["owners"] == owners
    assert r.data["source"] == ".github/CODEOWNERS"
    assert r.locations == (Location(".github/CODEOWNERS", line),)
    assert all(f"`{o}`" in r.message for o in owners)


@pytest.mark.parametrize(
    "files, fragment",
    [
        ({"README.md": ""}, "no catalog-info.yaml; no CODEOWNERS file"),
        ({"CODEOWNERS": "/src/ @a\n*.js @b\n"}, "CODEOWNERS has no `*`, `**` or `/**` rule"),
        ({"catalog-info.yaml": catalog(owner="''")}, "has no Component with a spec.owner"),
        ({"catalog-info.yaml": catalog(kind="Group")}, "has no Component with a spec.owner"),
        ({"catalog-info.yaml": b"\0binary"}, "has no Component"),
        ({"CODEOWNERS": b"* @a\n" * 700_000}, "GitHub does not load a CODEOWNERS file"),
        ({"CODEOWNERS": b"* @a\xff\n"}, "not valid UTF-8"),
    ],
)
def test_no_owner(run_check, files, fragment):
    r = run_check("owner-defined", files)
    assert r.status is Status.FAIL
    assert fragment in r.message
    assert "owner" not in r.data


def test_symlinked_catalog_leaving_the_repository_is_ignored(run_check, tmp_path):
    (tmp_path / "c.yaml").write_text(catalog())
    r = run_check(
        "owner-defined", {"catalog-info.yaml": Symlink(str(tmp_path / "c.yaml")), "x": ""}
    )
    assert r.status is Status.FAIL


def test_helpers_for_other_checks(make_snapshot):
    text = catalog(extra="metadata2: x\n").replace(
        "  name: svc\n", "  name: svc\n  annotations:\n    backstage.io/techdocs-ref: dir:.\n"
    )
    snap = make_snapshot({"catalog-info.yaml": text})
    assert _catalog.backstage_annotations(snap) == {"backstage.io/techdocs-ref": "dir:."}
    assert _catalog.component_owner(snap) == "team-a"
    assert _catalog.load(snap) is _catalog.load(snap)
    empty = make_snapshot({"x": ""})
    assert _catalog.backstage_annotations(empty) == {} and _catalog.component_owner(empty) is None
