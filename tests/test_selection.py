"""The sidebar selection survives a round trip through the URL; bad parameters fall back to defaults."""
from dataclasses import replace

from tsk.selection import default_selection, from_query_params, to_query_params

AREAS = ["Axelfors", "Högvad", "Kindaholm", "Svenljunga tätort"]
ORGS = ["Svenljunga kommun", "Polisen", "Svenbo"]
YEARS = [2021, 2022, 2023, 2024, 2025, 2026]


def default():
    return default_selection(years=YEARS, latest_week=(2026, 47), areas=AREAS, organisations=ORGS)


def test_default_is_all_years_areas_and_the_last_52_weeks():
    d = default()
    assert (d.year_from, d.year_to) == (2021, 2026)
    assert d.week_to == (2026, 47) and d.week_from == (2025, 48) and d.n_weeks == 52
    assert to_query_params(d, d) == {}


def test_round_trip_through_query_params():
    d = default()
    sel = replace(d, year_from=2023, week_from=(2026, 1), areas=("Högvad",), organisations=("Polisen",),
                  police=False, meeting=True)
    params = to_query_params(sel, d)
    assert params == {"ar": "2023-2026", "veckor": "2026-W01..2026-W47", "omraden": "Högvad",
                      "kallor": "Polisen", "polis": "0", "mote": "1"}
    assert from_query_params(params, d, years=YEARS, areas=AREAS, organisations=ORGS) == sel


def test_malformed_or_stale_parameters_fall_back_to_the_default():
    d = default()
    params = {"ar": "20x1-2026", "veckor": "2026-W60..nonsense", "omraden": "Atlantis", "kallor": ""}
    assert from_query_params(params, d, years=YEARS, areas=AREAS, organisations=ORGS) == d


def test_default_never_starts_before_the_first_week_with_data():
    d = default_selection(years=[2026], latest_week=(2026, 48), areas=AREAS, organisations=ORGS,
                          first_week=(2026, 47))
    assert (d.week_from, d.week_to) == ((2026, 47), (2026, 48))
