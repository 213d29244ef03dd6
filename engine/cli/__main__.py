"""``python -m engine.cli COMMAND``: the engine's commands (the window is `gui.launcher`)."""
import sys

from . import main

sys.exit(main())
