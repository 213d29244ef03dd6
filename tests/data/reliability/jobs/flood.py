"""A job that floods its output: --seconds S --max-mb M [--stderr].

Writes text lines to stdout (or stderr) as fast as it can until S seconds or M megabytes,
then prints a last line and exits 0."""
import argparse
import sys
import time

parser = argparse.ArgumentParser()
parser.add_argument("--seconds", type=float, default=3.0)
parser.add_argument("--max-mb", type=float, default=500.0)
parser.add_argument("--stderr", action="store_true")
args = parser.parse_args()

stream = (sys.stderr if args.stderr else sys.stdout).buffer
line = b"flood " + b"0123456789abcdef" * 6 + b"\n"
chunk = line * (65536 // len(line))
limit = args.max_mb * 2**20
written = 0
deadline = time.monotonic() + args.seconds
while written < limit and time.monotonic() < deadline:
    stream.write(chunk)
    written += len(chunk)
stream.write(b"flood done: %d bytes\n" % written)
stream.flush()
