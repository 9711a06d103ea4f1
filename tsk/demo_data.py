"""`python -m tsk.demo_data`: writes the demo files (data/demo/) from the generator in tsk.demo.

Kept as its own module because that command is the documented one (README, data/demo/README.md and the
header of the generated manifest.toml name it); `python -m tsk.demo` does the same."""
from tsk.demo.build import main

if __name__ == "__main__":
    raise SystemExit(main())
