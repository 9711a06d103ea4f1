"""The app's caches, keyed on the database file's version.

The app reads through one shared read-only snapshot of the database file (tsk.store.Snapshot), a cursor per
question. Writers replace the file rather than change it, so a scheduled import can write while the app
is running; every cache key includes the file's inode and modification time (`_stamp`), so new data
shows on the next rerun.

- `cached_read`: the decorator of the typed reads (tsk/ui/reads.py), one st.cache_data per question.
- `shared`: a figure or map built once for its arguments and shared by every session.
"""
from __future__ import annotations

import functools
import inspect
import types
from collections.abc import Callable
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar

import streamlit as st

from tsk.config import db_path, setting_path
from tsk.store import Snapshot, Store, open_snapshot

P = ParamSpec("P")
R = TypeVar("R")


def _stamp(path: Path) -> tuple[int, int]:
    """Changes whenever the database changes: writers replace the file, so the inode changes too."""
    try:
        st_ = path.stat()
        return st_.st_ino, st_.st_mtime_ns
    except OSError:
        return 0, 0


@st.cache_resource(show_spinner=False, max_entries=4)
def _snapshot(path: str, stamp: tuple) -> Snapshot:
    """One open snapshot per version of the file; an evicted one closes when its last cursor is done."""
    return open_snapshot(path)


def _reader(path: str, stamp: tuple):
    return _snapshot(path, stamp).store()  # a failed open is not cached: the next rerun tries again


def db_version() -> tuple[str, tuple[int, int]]:
    """(path, stamp) of the database file now: the part of every cache key that says which data."""
    path = db_path()
    return str(path), _stamp(path)


def cached_read(fn: Callable[Concatenate[Store, P], R], *, max_entries: int = 64) -> Callable[P, R]:
    """A typed read: `fn(store, **arguments)` run on a read-only cursor of the current snapshot and cached
    per (database path, file version, arguments) until the file changes.

    The read a page calls has fn's signature without the store: `lagesbild_counts(areas=…, …)`. Its
    arguments must be hashable values (tuples, not lists); they are bound to fn's signature, defaults
    included, so a call by position and one by keyword share their entry."""
    signature = inspect.signature(fn)
    params = list(signature.parameters.values())

    def run(path: str, stamp: tuple, arguments: tuple) -> R:
        with _reader(path, stamp) as store:
            return fn(store, **dict(arguments))

    # Streamlit keys a cache on the function's module and qualified name: one cache per read.
    run.__module__, run.__qualname__, run.__name__ = fn.__module__, fn.__qualname__, fn.__name__
    cached = st.cache_data(show_spinner=False, max_entries=max_entries)(run)

    @functools.wraps(fn)
    def read(*args: P.args, **kwargs: P.kwargs) -> R:
        bound = signature.bind(None, *args, **kwargs)
        bound.apply_defaults()
        return cached(*db_version(), tuple(list(bound.arguments.items())[1:]))

    read.__signature__ = signature.replace(parameters=params[1:])  # type: ignore[attr-defined]
    read.clear = cached.clear  # type: ignore[attr-defined]
    return read


def _config_stamp() -> tuple[str, int]:

    path = setting_path("config")
    return str(path), _stamp(path)[1]


def _function_key(fn: types.FunctionType) -> tuple:
    """A builder, or a function passed to one (a number format), is known by its name, code, constants
    and the values it closes over."""
    code = fn.__code__
    cells = [c.cell_contents for c in fn.__closure__ or ()]
    return fn.__module__, fn.__qualname__, code.co_code, repr(code.co_consts), repr(code.co_names), repr(cells)


@st.cache_resource(show_spinner=False, max_entries=256, hash_funcs={types.FunctionType: _function_key})
def _shared(builder, config_stamp: tuple, args: tuple, kwargs: tuple) -> object:
    return builder(*args, **dict(kwargs))


def shared(builder, /, *args, **kwargs):
    """`builder(*args, **kwargs)` built once for these arguments and shared by every session.

    Ten people in a meeting open the same page with the same selection: its figures are built once, not
    once per person. The arguments are the frames the cached reads return and plain values; the key is
    their content (and the config file's version, which labels may come from). The object is shared, so
    it is never changed after: whatever a chart needs goes in as an argument."""
    return _shared(builder, _config_stamp(), args, tuple(sorted(kwargs.items())))
