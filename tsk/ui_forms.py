# shim for the issue-16 merge; removed by the integrator
from tsk.ui.forms import (  # noqa: F401
    FLASH_KEY,
    measure_status_form,
    meeting_form,
    proposal_form,
    proposal_update_form,
    saved_and_rerun,
    show_saved_message,
    walk_form,
    write,
)
from tsk.ui.review import (  # noqa: F401
    _actor,
    _decide,
    _import,
    _preview,
    _with_upload,
    import_upload,
    review_places_form,
    review_quarantine_form,
    upload_limits,
    upload_with_preview,
)
