from scorecard.model import Location, Status


def test_root_readme(run_check):
    r = run_check("readme-present", {"README.md": "# hi"})
    assert r.status is Status.PASS
    assert r.locations == (Location("README.md"),)


def test_github_folder_preferred(run_check):
    r = run_check("readme-present", {"README.md": "x", ".github/readme.rst": "x"})
    assert r.locations == (Location(".github/readme.rst"),)


def test_missing(run_check):
    r = run_check("readme-present", {"READMEX": "x", "src/README.md": "x"})
    assert r.status is Status.FAIL


def test_plain_folder(run_check):
    r = run_check("readme-present", {"docs/Readme": "x"}, git_repo=False)
    assert r.status is Status.PASS
