"""Moved to tsk.ingest.police_fetch."""
# shim for the issue-16 merge; removed by the integrator
from tsk.ingest.police_fetch import (  # noqa: F401
    DEFAULT_TIMEOUT_S,
    DEFAULT_URL,
    MAX_BYTES,
    download,
    fetch_police,
    fetch_settings,
)
