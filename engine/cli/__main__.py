"""``python -m scheduler_studio.engine.cli COMMAND``: the engine's commands (the window is `scheduler_studio.gui.launcher`)."""
import sys

from . import main

sys.exit(main())
