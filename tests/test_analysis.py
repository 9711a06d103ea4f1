"""Analysis functions on hand-made numbers."""
import pandas as pd

from tsk.pagedata import lagesbild, survey


def test_year_on_year_when_every_pair_can_be_tested(config):
    shares = pd.DataFrame({"year": [2024, 2025], "group": ["Högvad", "Högvad"], "scale": ["trygg5", "trygg5"],
                           "k": [10, 40], "n": [100, 100], "share": [0.1, 0.4], "suppressed": [False, False]})
    out = survey.year_on_year(shares, config)
    assert out["verdict"].tolist() == ["Ökning med 30 procentenheter"]


def test_a_counts_change_is_worded_alike_everywhere_and_never_as_infinite_per_cent():
    from tsk import stats
    from tsk.i18n import t
    from tsk.pagedata.common import rate_verdict

    assert rate_verdict(stats.poisson_rate_test(12, 4, 0, 4)) == t("verdict_rate_from_zero")
    assert rate_verdict(stats.poisson_rate_test(30, 4, 10, 4)) == t("verdict_rate_up", pct="200")
    assert rate_verdict(stats.poisson_rate_test(3, 4, 12, 4)) == t("verdict_rate_down", pct="75")
    assert rate_verdict(stats.poisson_rate_test(11, 4, 10, 4)) == t("verdict_no_change")
    assert rate_verdict(stats.poisson_rate_test(30, 4, 10, 4), notable=False) == t("verdict_no_change")
    assert rate_verdict(stats.poisson_rate_test(0, 4, 0, 4)) == rate_verdict(None) == t("verdict_none")
    assert all("inf" not in rate_verdict(stats.poisson_rate_test(n, 4, 0, 4)) for n in range(0, 40))


def test_partial_months_follow_the_thursday_of_each_iso_week():
    from datetime import date

    # Week 1 of 2026 starts Monday 29 December 2025; its Thursday (1 January) puts it in January.
    assert lagesbild.partial_months(date(2025, 12, 29), date(2026, 11, 23)) == {}
    # From Monday 1 December 2025 (all four December Thursdays) to Monday 30 November 2026, whose Thursday
    # is 3 December: December 2026 has 1 of its 5 weeks (Thursdays 3, 10, 17, 24, 31).
    assert lagesbild.partial_months(date(2025, 12, 1), date(2026, 11, 30)) == {pd.Timestamp("2026-12-01"): (1, 5)}
    # Starting in week 3 of 2026 cuts January (Thursdays 1, 8, 15, 22, 29): 3 of 5.
    cut = lagesbild.partial_months(date(2026, 1, 12), date(2026, 3, 23))
    assert cut == {pd.Timestamp("2026-01-01"): (3, 5)}
    assert lagesbild.partial_months_text(cut) == ("Ringar: månader som urvalet bara täcker delvis, så de ser "
                                                 "lägre ut än de är: januari 2026 (3 av 5 veckor).")
    assert lagesbild.partial_months_text({}) == ""


def test_a_cut_month_is_an_open_ring_in_the_trend():
    from tsk import figures

    df = pd.DataFrame({"period_start": pd.to_datetime(["2026-01-01", "2026-02-01", "2026-03-01"]),
                       "category": ["klotter"] * 3, "reports": [4, 9, 8]})
    fig = figures.trend_figure(df, x="period_start", y="reports", group="category", labels={}, title="T",
                               y_title="Y", period="month", partial={pd.Timestamp("2026-01-01"): (3, 5)})
    assert list(fig.data[0].marker.symbol) == ["circle-open", "circle", "circle"]
    assert fig.data[0].customdata[0] == "(ofullständig månad)"


def test_quiet_months_are_zeros_so_a_line_never_jumps_over_them():
    from datetime import date

    counts = pd.DataFrame({"period_start": pd.to_datetime(["2026-01-01", "2026-03-01"]),
                           "category": ["klotter", "klotter"], "reports": [4, 2]})
    # Weeks 2–14 of 2026: from Monday 5 January to Monday 30 March (Thursday 2 April: April).
    filled = lagesbild.fill_months(counts, group="category", week_from=date(2026, 1, 5), week_to=date(2026, 3, 30))
    assert list(filled["period_start"].dt.strftime("%Y-%m")) == ["2026-01", "2026-02", "2026-03", "2026-04"]
    assert list(filled["reports"]) == [4, 0, 2, 0]
