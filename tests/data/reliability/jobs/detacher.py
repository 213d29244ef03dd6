"""A careless farm wrapper: MARKER. Starts a sleeper in its own session (it leaves the
cook host's process group and session), then sleeps itself; both carry the marker."""
import os
import subprocess
import sys

sleeper = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sleeper.py")
child = subprocess.Popen([sys.executable, sleeper, sys.argv[1]], start_new_session=True,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print("detached", child.pid, flush=True)
os.execv(sys.executable, [sys.executable, sleeper, sys.argv[1]])
