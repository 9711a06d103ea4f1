"""`python -m tsk.demo [--out DIR]`: write the demo files."""
from tsk.demo.build import main

raise SystemExit(main())
