"""Analysis functions on hand-made numbers."""
import pandas as pd

from tsk import analysis


def test_year_on_year_when_every_pair_can_be_tested(config):
    shares = pd.DataFrame({"year": [2024, 2025], "group": ["Högvad", "Högvad"], "scale": ["trygg5", "trygg5"],
                           "k": [10, 40], "n": [100, 100], "share": [0.1, 0.4], "suppressed": [False, False]})
    out = analysis.year_on_year(shares, config)
    assert out["verdict"].tolist() == ["Ökning med 30 procentenheter"]


def test_a_counts_change_is_worded_alike_everywhere_and_never_as_infinite_per_cent():
    from tsk import stats
    from tsk.analysis import rate_verdict
    from tsk.i18n import t

    assert rate_verdict(stats.poisson_rate_test(12, 4, 0, 4)) == t("verdict_rate_from_zero")
    assert rate_verdict(stats.poisson_rate_test(30, 4, 10, 4)) == t("verdict_rate_up", pct="200")
    assert rate_verdict(stats.poisson_rate_test(3, 4, 12, 4)) == t("verdict_rate_down", pct="75")
    assert rate_verdict(stats.poisson_rate_test(11, 4, 10, 4)) == t("verdict_no_change")
    assert rate_verdict(stats.poisson_rate_test(30, 4, 10, 4), notable=False) == t("verdict_no_change")
    assert rate_verdict(stats.poisson_rate_test(0, 4, 0, 4)) == rate_verdict(None) == t("verdict_none")
    assert all("inf" not in rate_verdict(stats.poisson_rate_test(n, 4, 0, 4)) for n in range(0, 40))
