"""Debugging a scheduler's callbacks inside a test cook (stdlib `bdb` and `pdb`).

* `breakpoints`: where to stop (a module file and line, a condition, a hit count), and
  turning a callback's body line, as the editor numbers it, into a module line;
* `clock`: the cook's own clock, which stands still while the cook is paused, so the
  cook timeout, the tick clock and the watchdog do not run out during a pause;
* `tracing`: what both debuggers share: they stop only in user code (the engine's frames
  are stepped through), and tracing is on only while a breakpoint or a step is pending;
* `values`: locals as a tree of safe, size-capped reprs (``work_item`` and ``self``
  with their attributes, outputs, command and parameters);
* `wire`: the window's debugger: NDJSON events out, NDJSON commands in (`commands`);
* `terminal`: the CLI's debugger: a standard `pdb` prompt on the CLI's stdin/stdout;
* `host`: the cook host's options and the one place it builds a debugger.

Nothing here imports Qt; `scheduler_studio.engine.cook` reaches it only through the invoker's
``debugger`` (None when the cook is not debugged).
"""
