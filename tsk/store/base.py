"""The store's low level: opening a DuckDB connection (with its errors as TskError), and the base every
Store is built on — query/run/scalar and the one transaction that nested writers join."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

from tsk.errors import TskError


def connect(path: Path, *, read_only: bool) -> duckdb.DuckDBPyConnection:
    """A connection to the database file at `path` (created when missing, unless read-only)."""
    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as e:
        raise TskError("db_unavailable", path=path, detail=str(e).splitlines()[0]) from None
    except duckdb.Error as e:
        raise TskError("db_broken", path=path, detail=str(e).splitlines()[0]) from None


def attach_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    """A private in-memory DuckDB instance with the file at `path` ATTACHed read-only as `tsk` (see
    tsk.store.Snapshot for why not `duckdb.connect(path)`)."""
    con = duckdb.connect(":memory:")
    literal = str(path).replace("'", "''")
    try:
        con.execute(f"ATTACH '{literal}' AS tsk (READ_ONLY)")
        con.execute("USE tsk")
    except duckdb.IOException as e:
        con.close()
        raise TskError("db_unavailable", path=path, detail=str(e).splitlines()[0]) from None
    except duckdb.Error as e:
        con.close()
        raise TskError("db_broken", path=path, detail=str(e).splitlines()[0]) from None
    return con


class StoreBase:
    """A connection to one database file, with the helpers every query module uses."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path, read_only: bool):
        self.con = con
        self.path = path
        self.read_only = read_only

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        self.con.close()

    # --- low level --------------------------------------------------------------------------------
    def query(self, sql: str, params: dict | list | None = None) -> pd.DataFrame:
        return self.con.execute(sql, params or []).df()

    def run(self, sql: str, params: dict | list | None = None) -> list[tuple]:
        """Execute and fetch everything: DuckDB refuses new work while a result is unfinished."""
        return self.con.execute(sql, params or []).fetchall()

    def scalar(self, sql: str, params: dict | list | None = None):
        rows = self.run(sql, params)
        return rows[0][0] if rows else None

    @contextmanager
    def transaction(self):
        """One transaction; a transaction opened inside another joins the outer one (a review decision
        and the imports it triggers are written all or nothing)."""
        depth = getattr(self, "_depth", 0)
        if depth:
            self._depth = depth + 1
            try:
                yield
            finally:
                self._depth = depth
            return
        self.run("BEGIN TRANSACTION")
        self._depth = 1
        try:
            yield
        except BaseException:
            self._depth = 0
            self.run("ROLLBACK")
            raise
        else:
            self._depth = 0
            self.run("COMMIT")
