"""A long job: MARKER [SECONDS]. The marker (in its command line) lets a test find it;
it prints once, then sleeps up to SECONDS (default 120) and exits 0."""
import sys
import time

print("sleeping", sys.argv[1], flush=True)
deadline = time.monotonic() + (float(sys.argv[2]) if len(sys.argv) > 2 else 120.0)
while time.monotonic() < deadline:
    time.sleep(0.1)
