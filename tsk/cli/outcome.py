"""Exit codes and the printed outcome of an import, shared by `import` and `fetch`.

Exit codes: 0 done; 2 rejected (the reason in Swedish on stderr, nothing changed); 1 unexpected error.
"""
from __future__ import annotations

from tsk.i18n import t
from tsk.importers import new_place_names

EXIT_OK, EXIT_ERROR, EXIT_REJECTED = 0, 1, 2


def report_outcome(source: str, outcome) -> int:
    """Print what an import did (shared by `import` and `fetch`)."""
    if outcome.already_imported:
        print(t("import_already", file=outcome.file_name, import_id=outcome.import_id))
        return EXIT_OK
    print(t("import_done", source=source, file=outcome.file_name, accepted=outcome.accepted,
            quarantined=outcome.quarantined))
    for reason, n in outcome.skipped.items():
        print(t("import_skipped", reason=reason, n=n))
    if outcome.quarantined:
        print(t("import_quarantine_hint"))
    if new_place_names(outcome.notes):
        print(t("import_new_names_hint", n=new_place_names(outcome.notes)))
    return EXIT_OK
