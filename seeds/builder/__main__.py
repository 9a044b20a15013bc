"""`python -m seeds.builder [/path/to/shared]` from the repository root."""

import sys

from .main import main

sys.exit(main())
