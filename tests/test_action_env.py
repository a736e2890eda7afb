"""The Action's typed environment (:mod:`scorecard.action.env`): one field per input of
``action.yml``, read as the runner passes them."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import pytest
import yaml

from scorecard.action.env import ActionEnv, ActionError, Inputs

ROOT = Path(__file__).resolve().parents[1]


def test_inputs_are_the_inputs_of_action_yml():
    meta = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    declared = {name.replace("-", "_") for name in meta["inputs"]}
    assert {f.name for f in dataclasses.fields(Inputs)} == declared


def test_inputs_keep_their_dashes_and_blank_is_not_given():
    env = ActionEnv(
        {
            "INPUT_FAIL-ON": " Regression ",
            "INPUT_MIN_LEVEL": "Gold",
            "INPUT_COMMENT": "off",
            "INPUT_OUTPUT-DIR": "  ",
            "INPUT_DASHBOARD-REPO": "acme/.github",
        },
        io.StringIO(),
    )
    assert env.inputs == Inputs(
        fail_on="regression", min_level="Gold", comment=False, dashboard_repo="acme/.github"
    )
    gated = ActionEnv(
        {
            "INPUT_FAIL-UNDER": "silver",
            "INPUT_FAIL-ON-REGRESSION": "true",
            "INPUT_FAIL-ON-ERROR": "yes",
        },
        io.StringIO(),
    ).inputs
    assert (gated.fail_under, gated.fail_on_regression, gated.fail_on_error) == (
        "silver",
        True,
        True,
    )
    assert ActionEnv({}, io.StringIO()).inputs == Inputs()


def test_the_token_input_wins_over_github_token_and_a_bad_fail_on_is_one_error():
    env = ActionEnv(
        {"GITHUB_TOKEN": "from-env", "INPUT_TOKEN": "from-input", "INPUT_FAIL-ON": "sometimes"},
        io.StringIO(),
    )
    assert env.token == "from-input"
    assert ActionEnv({"GITHUB_TOKEN": "from-env"}, io.StringIO()).token == "from-env"
    with pytest.raises(ActionError, match="fail-on 'sometimes': use one of none, regression"):
        env.check_gates()
    for inputs, said in (
        ({"INPUT_MIN-LEVEL": "Gold"}, "min-level only means"),
        ({"INPUT_FAIL-UNDER": "gold", "INPUT_FAIL-ON": "below-level"}, "not both"),
    ):
        with pytest.raises(ActionError, match=said):
            ActionEnv(inputs, io.StringIO()).check_gates()


def test_paths_from_inputs_are_in_the_workspace(tmp_path):
    env = ActionEnv({"GITHUB_WORKSPACE": str(tmp_path), "INPUT_OUTPUT-DIR": "out/x"}, io.StringIO())
    assert env.output_dir() == tmp_path / "out" / "x" and env.output_dir().is_dir()
    assert env.in_workspace("/elsewhere/h.jsonl") == Path("/elsewhere/h.jsonl")
    assert env.rel(tmp_path / "out" / "x" / "r.json") == "out/x/r.json"
    assert env.rel(Path("/elsewhere/r.json")) == "/elsewhere/r.json"


def test_an_unknown_mode_is_one_error_naming_the_modes(tmp_path):
    from scorecard.action import run

    out = io.StringIO()
    assert run({"GITHUB_WORKSPACE": str(tmp_path), "INPUT_MODE": "nightly"}, out) == 2
    assert out.getvalue().splitlines()[-1] == (
        "::error title=scorecard::mode 'nightly': use pr, repo, org or report"
    )
