"""`python -m evals run ...`: the same as `fanagent evals run ...`."""

import sys

from evals.commands import main

sys.exit(main())
