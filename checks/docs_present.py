"""Documentation present

Passes when the repository has documentation beyond its README, shown by any of:

- a `docs/`, `doc/` or `documentation/` directory at the root holding at least one tracked file
  (at any depth; directory names are matched exactly);
- an MkDocs configuration, `mkdocs.yml` or `mkdocs.yaml`, at the root;
- a Sphinx `conf.py` anywhere below `docs/`, `doc/` or `documentation/`;
- a Docusaurus configuration (`docusaurus.config.js` or `.ts`, and the `.mjs`, `.cjs`, `.mts`
  and `.cts` forms Docusaurus 3 also reads) at the root or at most two folders deep
  (`website/`, `apps/docs/`);
- a Backstage `catalog-info.yaml` (or `.yml`) at the root whose entity, in any of its YAML
  documents, carries the `backstage.io/techdocs-ref` annotation in `metadata.annotations`.

The result names the first evidence found, in this order: MkDocs, Sphinx, the folder, TechDocs,
Docusaurus. Fails when there is none; a `catalog-info.yaml` that does not parse is then
mentioned, with its parse error (`catalog-info-valid` reports it in full).
"""

from __future__ import annotations

from scorecard.check import Options, check
from scorecard.model import Finding, Location, failed, passed
from scorecard.snapshot import RepoSnapshot

DOC_DIRS = ("docs", "doc", "documentation")
MKDOCS = ("mkdocs.yml", "mkdocs.yaml")
DOCUSAURUS = tuple(f"docusaurus.config.{ext}" for ext in ("js", "ts", "mjs", "cjs", "mts", "cts"))
CATALOG = ("catalog-info.yaml", "catalog-info.yml")
TECHDOCS = "backstage.io/techdocs-ref"


def _sphinx_conf(snap: RepoSnapshot) -> str | None:
    for d in DOC_DIRS:
        for path in snap.files_under(d):
            if path.endswith("/conf.py"):
                return path
    return None


def _docusaurus(snap: RepoSnapshot) -> str | None:
    """A Docusaurus configuration at the root, or one or two folders deep (the shallowest,
    then the first by path). One pass over the index with a substring test: cheaper than
    walking the folders of the first two levels when there are many of them."""
    found = [
        p
        for p in snap.files
        if "docusaurus.config." in p and p.count("/") <= 2 and p.rsplit("/", 1)[-1] in DOCUSAURUS
    ]
    return min(found, key=lambda p: (p.count("/"), p)) if found else None


def _techdocs(snap: RepoSnapshot) -> tuple[Location | None, Finding | None]:
    """Where the TechDocs annotation is, or the parse error of the catalog file."""
    for path in CATALOG:
        if not snap.has(path):
            continue
        parsed = snap.yaml_all(path)
        if parsed.error is not None:
            return None, failed(
                f"{path} does not parse ({parsed.error})", [Location(path, parsed.error.line)]
            )
        for doc in parsed.data or ():
            metadata = doc.get("metadata") if isinstance(doc, dict) else None
            annotations = metadata.get("annotations") if isinstance(metadata, dict) else None
            if not isinstance(annotations, dict):
                continue
            value = annotations.get(TECHDOCS)
            if isinstance(value, str) and value.strip():
                line_of = getattr(annotations, "line_of", None)
                return Location(path, line_of(TECHDOCS) if line_of else None), None
        return None, None
    return None, None


@check(
    id="docs-present",
    pillar="docs",
    title="Documentation present",
    remediation="Add a docs/ folder with the project's documentation (optionally built with "
    "MkDocs, Sphinx or Docusaurus), or point Backstage TechDocs at it with the "
    "`backstage.io/techdocs-ref` annotation in catalog-info.yaml.",
)
def run(snap: RepoSnapshot, opts: Options) -> Finding:
    for path in MKDOCS:
        if snap.has(path):
            return passed(f"MkDocs configuration {path} found", [Location(path)], path=path)
    conf = _sphinx_conf(snap)
    if conf is not None:
        return passed(f"Sphinx configuration {conf} found", [Location(conf)], path=conf)
    for d in DOC_DIRS:
        files = snap.files_under(d)
        if files:
            noun = "file" if len(files) == 1 else "files"
            return passed(
                f"{d}/ holds {len(files)} tracked {noun}", [Location(d + "/")], path=d + "/"
            )
    where, bad_catalog = _techdocs(snap)
    if where is not None:
        return passed(f"TechDocs annotation {TECHDOCS} found at {where}", [where], path=where.path)
    config = _docusaurus(snap)  # the only search that reads the whole index: the last one
    if config is not None:
        return passed(f"Docusaurus configuration {config} found", [Location(config)], path=config)
    message = (
        "no docs/, doc/ or documentation/ folder, MkDocs, Sphinx or Docusaurus "
        "configuration, or TechDocs annotation in catalog-info.yaml"
    )
    if bad_catalog is not None:
        return failed(f"{message}; {bad_catalog.message}", bad_catalog.locations)
    return failed(message)
