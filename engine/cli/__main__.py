"""``python -m scheduler_studio.engine.cli``: the same as the ``schedstudio`` command."""
import sys

from . import main

sys.exit(main())
