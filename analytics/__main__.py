"""`python -m analytics COMMAND ...`: see analytics/cli/."""

import sys

from analytics.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
