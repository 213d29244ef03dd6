"""A job that writes a big output: OUT MB [--keep] [--ok-when-full].

On a full disk it says so (the error goes to its log), removes what it wrote unless
--keep, and exits 1. With --keep it first takes the last free bytes too, and with
--ok-when-full it then exits 0: a job that filled the disk and did not notice."""
import argparse
import os
import sys

parser = argparse.ArgumentParser()
parser.add_argument("out")
parser.add_argument("mb", type=float)
parser.add_argument("--keep", action="store_true")
parser.add_argument("--ok-when-full", action="store_true")
args = parser.parse_args()

print("writing %g MB to %s" % (args.mb, args.out), flush=True)
try:
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "wb", buffering=0) as handle:
        try:
            for _ in range(int(args.mb * 16)):
                handle.write(b"x" * 65536)
        except OSError:
            if args.keep:
                for size in (4096, 256, 16, 1):
                    try:
                        while True:
                            handle.write(b"x" * size)
                    except OSError:
                        pass
            raise
except OSError as exc:
    if not args.keep:
        try:
            os.remove(args.out)
        except OSError:
            pass
    print("could not write %s: %s" % (args.out, exc), flush=True)
    sys.exit(0 if args.ok_when_full else 1)
print("wrote", args.out, flush=True)
