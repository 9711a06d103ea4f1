"""The one Streamlit-aware tsk module: cached store reads, shared sidebar, error rendering.

The app opens the database read-only for each (cached) question instead of holding a connection, so a
scheduled import can write while the app is running; the cache key includes the file's modification
time, so new data shows on the next rerun.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from tsk.config import db_path, load_config
from tsk.db import open_store
from tsk.errors import TskError
from tsk.i18n import t


def _stamp(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


@st.cache_data(show_spinner=False, max_entries=256)
def _ask(path: str, stamp: float, question: str, kwargs: tuple) -> object:
    with open_store(path, read_only=True) as store:
        return getattr(store, question)(**dict(kwargs))


def ask(question: str, **kwargs):
    """Call the named read-only store method (cached until the database file changes)."""
    path = db_path()
    return _ask(str(path), _stamp(path), question, tuple(sorted(kwargs.items())))


def show_error(error: TskError) -> None:
    st.error(error.message)


def require_store() -> bool:
    """Stop the page with a clear Swedish message when there is no database yet."""
    if not db_path().exists():
        st.error(t("db_missing", path=db_path()))
        st.stop()
    return True


def config():
    return load_config()


def format_int(n) -> str:
    """Swedish thousands separator (narrow no-break space)."""
    return f"{int(n):,}".replace(",", "\u00a0")


def format_decimal(x, decimals: int = 1) -> str:
    if x is None or pd.isna(x):
        return "–"
    return f"{x:,.{decimals}f}".replace(",", "\u00a0").replace(".", ",")
