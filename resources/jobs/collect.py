"""Gathers its input files into one manifest."""
import argparse

from _pdgjob import report_output, write_text

parser = argparse.ArgumentParser()
parser.add_argument("--out", required=True)
parser.add_argument("inputs", nargs="*")
args = parser.parse_args()

write_text(args.out, "".join(f"{path}\n" for path in args.inputs))
report_output(args.out)
print(f"collected {len(args.inputs)} file(s) into {args.out}", flush=True)
