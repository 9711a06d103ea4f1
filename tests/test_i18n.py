"""tsk.i18n: the catalogue modules merge into one MESSAGES, and a key defined in two of them fails."""
from __future__ import annotations

import ast

import pytest

from tsk.config import ROOT
from tsk.i18n import CATALOGUES, MESSAGES, merge_catalogues, t


def test_every_catalogue_module_is_merged():
    modules = {p.stem for p in (ROOT / "tsk" / "i18n").glob("messages_*.py")}
    assert set(CATALOGUES) == modules
    assert len(MESSAGES) == sum(len(c) for c in CATALOGUES.values())


def test_a_key_in_two_catalogue_modules_fails_the_merge():
    assert merge_catalogues({"a": {"x": "1"}, "b": {"y": "2"}}) == {"x": "1", "y": "2"}
    with pytest.raises(ValueError, match=r"x \(a, b\)"):
        merge_catalogues({"a": {"x": "1"}, "b": {"x": "2"}})


def test_no_two_catalogue_modules_define_the_same_key():
    """Read from the source, so the test names the modules even if the merge were bypassed."""
    owner: dict[str, list[str]] = {}
    for path in sorted((ROOT / "tsk" / "i18n").glob("messages_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Dict):
                for k in node.keys:
                    if isinstance(k, ast.Constant):
                        owner.setdefault(k.value, []).append(path.stem)
    assert {k: v for k, v in owner.items() if len(v) > 1} == {}


def test_t_fills_params_and_shows_an_unknown_key():
    assert t("file_missing", path="x.csv") == "Filen x.csv finns inte."
    assert t("no_such_key_here") == "no_such_key_here"
    assert t("file_missing") == MESSAGES["file_missing"]  # a missing param keeps the template
