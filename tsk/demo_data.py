"""The demo generator, now the package tsk.demo; `python -m tsk.demo_data` still writes the demo files."""
# shim for the issue-16 merge; removed by the integrator
# (note: `python -m tsk.demo_data` is named in the generated data/demo/manifest.toml header, README.md,
# data/demo/README.md and the i18n message demo_missing_files; keep this entry point or change them all.)
from tsk.demo import *  # noqa: F403
from tsk.demo import __all__  # noqa: F401
from tsk.demo.build import main

if __name__ == "__main__":
    raise SystemExit(main())
