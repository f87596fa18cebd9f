"""`python -m rarplan`: the same as the `rarplan` command."""

import sys

try:
    from rarplan.cli.main import run

    run()
except KeyboardInterrupt:  # Ctrl-C while Python loads rarplan, before `run` can handle it
    sys.stderr.write("\nrarplan: interrupted\n")
    sys.exit(130)
