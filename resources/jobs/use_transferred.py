"""Reads a file the scheduler transferred into the working directory."""
import argparse
import os

from _pdgjob import report_output, write_text

parser = argparse.ArgumentParser()
parser.add_argument("--lut", required=True)
parser.add_argument("--out", required=True)
parser.add_argument("--index", type=int, default=0)
args = parser.parse_args()

if not os.path.isfile(args.lut):
    raise SystemExit(f"transferred file {args.lut} is missing: was transferFile called?")
with open(args.lut, encoding="utf-8") as handle:
    lines = handle.read().splitlines()
write_text(args.out, lines[args.index % len(lines)] + "\n")
report_output(args.out)
