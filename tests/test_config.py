"""The shipped configuration is consistent: every place's physical notes are checklist keys, every
ort lies in a configured area, the scoring weights cover every component."""
from tsk import scoring


def test_physical_notes_are_checklist_keys(config):
    keys = {c.key for c in config.vandring.checklist}
    assert [(p.name, k) for p in config.platser for k in p.physical if k not in keys] == []


def test_weights_cover_every_scoring_component(config):
    assert set(config.vandring.weights) == set(scoring.COMPONENTS)
    assert set(config.vandring.caps) >= set(scoring.CAP_KEYS)


def test_areas_four_and_five_are_marked_as_assumptions(config):
    assert [a.name for a in config.areas if a.assumption] == ["Lysjö norra", "Lysjö södra"]
    assert sum(1 for a in config.areas if a.kind == "traffpunkt") == 5
