"""Command line: `python -m tsk <command>`. Operators schedule these, so the commands, options, exit
codes and JSON keys are a contract: extend, never rename.

main.py parses and dispatches (demo, import, status, report, backup, restore); places.py reviews new
place names; onboarding.py is `init` and `areas build`; fetch.py the scheduled police fetch; outcome.py
the exit codes and what an import prints.
"""
from tsk.cli.main import build_demo, demo_manifest, main, status_dict
from tsk.cli.outcome import EXIT_ERROR, EXIT_OK, EXIT_REJECTED, report_outcome

__all__ = ["EXIT_ERROR", "EXIT_OK", "EXIT_REJECTED", "build_demo", "demo_manifest", "main", "report_outcome",
           "status_dict"]
