"""Moved to tsk.store (the Store, its schema and its named queries)."""
# shim for the issue-16 merge; removed by the integrator
from tsk.store import Snapshot, Store, open_snapshot, open_store
from tsk.store.imports import ImportRecord
from tsk.store.lagesbild import _problem_categories_param
from tsk.store.schema import COUNT_TABLE, MIGRATIONS, SCHEMA_VERSION, WRITABLE

__all__ = ["COUNT_TABLE", "MIGRATIONS", "SCHEMA_VERSION", "WRITABLE", "ImportRecord", "Snapshot", "Store",
           "_problem_categories_param", "open_snapshot", "open_store"]
