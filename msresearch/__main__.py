"""Entry point for ``python -m msresearch``."""

from msresearch.cli import main

raise SystemExit(main())
