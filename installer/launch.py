"""The frozen program's entry point: the same `wudu` command line, the window by default."""

import sys

from desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
