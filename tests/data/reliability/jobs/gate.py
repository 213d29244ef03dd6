"""Holds its work item (and so the cook) open until a file appears: GATE_FILE [DEADLINE_S].

Exits 0 when the file appears, 1 when the deadline passes first (a test that forgot to
open the gate fails instead of hanging)."""
import os
import sys
import time

path = sys.argv[1]
deadline = time.monotonic() + (float(sys.argv[2]) if len(sys.argv) > 2 else 120.0)
print("waiting for", path, flush=True)
while not os.path.exists(path):
    if time.monotonic() > deadline:
        print("the gate was never opened", flush=True)
        sys.exit(1)
    time.sleep(0.02)
print("gate open", flush=True)
