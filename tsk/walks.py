"""The trygghetsvandring register, now in tsk.registers (walks, validation, protocol, summary, statuses)."""
# shim for the issue-16 merge; removed by the integrator
from tsk.registers.protocol import (  # noqa: F401
    MAX_PROTOCOL_BYTES,
    MAX_SHEET_ROWS,
    ROUTE_SEPARATOR,
    parse_protocol_xlsx,
    protocol_xlsx,
)
from tsk.registers.statuses import DECLINED, DONE, OPEN_STATUSES, WALK_STATUSES  # noqa: F401
from tsk.registers.summary import month_text, public_summary  # noqa: F401
from tsk.registers.validation import validate  # noqa: F401
from tsk.registers.walks import (  # noqa: F401
    MEASURE_COLUMNS,
    OBSERVATION_COLUMNS,
    ORIGIN,
    WALK_COLUMNS,
    Measure,
    Observation,
    Walk,
    from_store_rows,
    participants_total,
    redact_all,
    to_store_rows,
)
