"""Analysis functions on hand-made numbers."""
import pandas as pd

from tsk import analysis


def test_year_on_year_when_every_pair_can_be_tested(config):
    shares = pd.DataFrame({"year": [2024, 2025], "group": ["Högvad", "Högvad"], "scale": ["trygg5", "trygg5"],
                           "k": [10, 40], "n": [100, 100], "share": [0.1, 0.4], "suppressed": [False, False]})
    out = analysis.year_on_year(shares, config)
    assert out["verdict"].tolist() == ["Ökning med 30 procentenheter"]
