#!/usr/bin/env python3
"""Build Pustaka Desa's seed data: the entry point of the `builder` package beside this file.

    python seeds/build_seeds.py [/path/to/shared]     (default: ../shared next to the repo root)

Run as a script, this file's folder is first on the import path, so `builder` is found there.
"""

import sys

from builder.main import main

if __name__ == "__main__":
    sys.exit(main())
