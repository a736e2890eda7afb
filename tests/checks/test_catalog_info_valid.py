import pytest
from harness import Symlink

from scorecard.model import Location, Status

COMPONENT = """\
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: payments-api
  annotations:
    backstage.io/techdocs-ref: dir:.
spec:
  type: service
  lifecycle: production
  owner: team-payments
"""


def check(run_check, text, name="catalog-info.yaml"):
    return run_check("catalog-info-valid", {name: text})


@pytest.mark.parametrize("name", ["catalog-info.yaml", "catalog-info.yml"])
def test_valid(run_check, name):
    r = check(run_check, COMPONENT, name)
    assert r.status is Status.PASS
    assert "Component `payments-api`" in r.message
    assert r.locations == (Location(name),)


def test_several_documents_and_empty_ones(run_check):
    text = (
        "---\n" + COMPONENT + "---\napiVersion: backstage.io/v1beta1\nkind: Group\n"
        "metadata:\n  name: team.payments_2\nspec: {}\n---\n"
    )
    assert check(run_check, text).status is Status.PASS


def test_absent(run_check):
    r = run_check("catalog-info-valid", {"README.md": "x", "docs/catalog-info.yaml": COMPONENT})
    assert r.status is Status.FAIL
    assert "no catalog-info.yaml" in r.message


@pytest.mark.parametrize(
    "old, new, line, fragment",
    [
        ("backstage.io/v1alpha1", "backstage.io/v2", 1, "apiVersion `backstage.io/v2` is not"),
        ("apiVersion: backstage.io/v1alpha1\n", "", 1, "missing `apiVersion`"),
        ("kind: Component\n", "", 1, "missing `kind`"),
        ("kind: Component", "kind: component", 2, "kind `component` must be spelled `Component`"),
        ("name: payments-api", "name: payments--api", 4, "metadata.name `payments--api` must be"),
        ("name: payments-api", "name: -payments", 4, "metadata.name `-payments`"),
        ("name: payments-api", "name: payments.", 4, "metadata.name `payments.`"),
        ("name: payments-api", "name: pay ments", 4, "metadata.name `pay ments`"),
        ("name: payments-api", "name: " + "a" * 64, 4, "1-63 characters"),
        ("name: payments-api", "name: 12345", 4, "metadata.name `12345` must be a string"),
        ("name: payments-api", "name: ''", 4, "must be 1-63 characters"),
        ("  name: payments-api\n", "", 3, "missing `metadata.name`"),
        ("  owner: team-payments\n", "", 7, "Component `payments-api` has no `spec.owner`"),
        ("  type: service\n", "", 7, "has no `spec.type`"),
        ("  lifecycle: production\n", "", 7, "has no `spec.lifecycle`"),
        ("owner: team-payments", "owner: [a, b]", 10, "`spec.owner` must be a non-empty string"),
        ("owner: team-payments", "owner: ''", 10, "`spec.owner` must be a non-empty string"),
    ],
)
def test_invalid_entity(run_check, old, new, line, fragment):
    assert old in COMPONENT
    r = check(run_check, COMPONENT.replace(old, new))
    assert r.status is Status.FAIL
    assert fragment in r.message
    assert Location("catalog-info.yaml", line) in r.locations


@pytest.mark.parametrize(
    "kind, needs",
    [
        ("API", ["owner"]),
        ("Resource", ["owner"]),
        ("System", ["owner"]),
        ("Group", []),
        ("User", []),
    ],
)
def test_owner_required_by_kind(run_check, kind, needs):
    text = f"apiVersion: backstage.io/v1alpha1\nkind: {kind}\nmetadata:\n  name: x\nspec:\n  a: 1\n"
    r = check(run_check, text)
    assert r.status is (Status.FAIL if needs else Status.PASS)
    for field in needs:
        assert f"{kind} `x` has no `spec.{field}`" in r.message


def test_every_problem_has_its_line(run_check):
    text = (
        "apiVersion: v1\nkind: Component\nmetadata:\n  name: a--b\n"
        "---\napiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: ok\n"
    )
    r = check(run_check, text)
    assert r.status is Status.FAIL
    assert [loc.line for loc in r.locations] == [1, 1, 4, 6]
    assert "4 problems" in r.message


def test_document_not_a_mapping(run_check):
    r = check(run_check, COMPONENT + "---\n- a list\n")
    assert r.status is Status.FAIL
    assert "document 2 is not a mapping" in r.message
    assert r.locations == (Location("catalog-info.yaml", 12),)


@pytest.mark.parametrize("text", ["", "# only a comment\n", "---\n---\n"])
def test_no_entity(run_check, text):
    r = check(run_check, text)
    assert r.status is Status.FAIL
    assert "holds no entity" in r.message


def test_malformed_yaml_fails_with_parse_error_line(run_check):
    r = check(run_check, COMPONENT + "spec: [unclosed\n  x: : y\n")
    assert r.status is Status.FAIL
    assert "invalid YAML" in r.message
    assert len(r.locations) == 1 and r.locations[0].line is not None
    assert r.locations[0].line >= 11


@pytest.mark.parametrize(
    "content, fragment", [(b"kind: x\0", "binary"), (b"kind: \xff\n", "not valid UTF-8")]
)
def test_not_text(run_check, content, fragment):
    r = check(run_check, content)
    assert r.status is Status.FAIL
    assert fragment in r.message and r.locations == (Location("catalog-info.yaml"),)


def test_symlink_leaving_the_repository_is_absent(run_check, tmp_path):
    outside = tmp_path / "outside.yaml"
    outside.write_text(COMPONENT)
    r = run_check("catalog-info-valid", {"catalog-info.yaml": Symlink(str(outside)), "x": ""})
    assert r.status is Status.FAIL
    assert "no catalog-info.yaml" in r.message
