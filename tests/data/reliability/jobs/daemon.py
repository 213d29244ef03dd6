"""A job that daemonizes the careful way: MARKER. Double fork, setsid, a cleaned
environment (no cook tag), stdio closed; the daemon sleeps with the marker in its
command line. The job itself exits 0 at once, so nothing waits for the daemon."""
import os
import sys

sleeper = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sleeper.py")
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        os.execve(sys.executable, [sys.executable, sleeper, sys.argv[1]], {})
    os._exit(0)
os.wait()
print("daemonized", flush=True)
