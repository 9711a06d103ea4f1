import sys

from tsk.cli import main

sys.exit(main())
