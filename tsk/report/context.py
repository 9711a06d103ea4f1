"""What every section builder of one report shares: the store, the config, the year and version, the
lägesbild weeks compared, and what the sections collect on the way (key figures per goal, sources,
missing data) for the summary at the top."""
from __future__ import annotations

import math

from tsk.config import KommunConfig
from tsk.formatting import fmt_int
from tsk.i18n import t
from tsk.pagedata import common
from tsk.report.model import KeyFigure, is_missing
from tsk.report.periods import lagesbild_windows, report_years
from tsk.store import Store


class ReportContext:
    """One report being built; the section builders (tsk.report.build_*) read it and add to `kf`,
    `sources` and `missing`."""

    def __init__(self, store: Store, config: KommunConfig, year: int, public: bool):
        self.store, self.config, self.year, self.public = store, config, year, public
        self.min_n = config.suppression_min
        self.hidden = t("rp_hidden")
        self.areas = tuple(a.name for a in config.areas)
        self.orgs = tuple(o.name for o in config.organisations)
        self.cats = common.problem_categories(config)
        self.labels = common.category_labels(config)
        self.window, self.prev_window = lagesbild_windows(store, year)
        self.survey_years = store.survey_years()
        self.missing: list[str] = []
        self.kf: dict[str, list[KeyFigure]] = {"demokrati": [], "trygg": [], "prioritera": []}
        self.sources: list[dict] = []
        self.latest_year = (report_years(store) or [year])[-1]

    # --- shared ------------------------------------------------------------------------------------
    def count_value(self, n) -> int | str:
        """A count of people or events as published: hidden in the public version when 1..min-1."""
        if is_missing(n):
            return math.nan
        n = int(n)
        if self.public and 0 < n < self.min_n:
            return self.hidden
        return n

    def count_text(self, n) -> str:
        v = self.count_value(n)
        return v if isinstance(v, str) else fmt_int(v)

    def hidden_note(self) -> str:
        return t("rp_hidden_note_public" if self.public else "rp_hidden_note_full", mark=self.hidden, n=self.min_n)

    def goal(self, key: str) -> str:
        return common.goal(self.config, key)
