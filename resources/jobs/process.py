"""A per-frame processing job: reads its input file, writes a processed copy."""
import argparse

from _pdgjob import report_output, write_text

parser = argparse.ArgumentParser()
parser.add_argument("--in", dest="source", required=True)
parser.add_argument("--out", required=True)
args = parser.parse_args()

with open(args.source, encoding="utf-8") as handle:
    text = handle.read()
write_text(args.out, text.upper())
report_output(args.out)
print(f"processed {args.source} -> {args.out}", flush=True)
