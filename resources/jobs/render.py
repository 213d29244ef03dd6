"""A render-like job: writes one 'frame' file and reports it as an output."""
import argparse
import sys
import time

from _pdgjob import pdgcmd, report_output, write_text

parser = argparse.ArgumentParser()
parser.add_argument("--frame", type=float, default=0)
parser.add_argument("--out", required=True)
parser.add_argument("--sleep", type=float, default=0.0)
parser.add_argument("--exit-code", type=int, default=0)
parser.add_argument("--seed", default="")
args = parser.parse_args()

started = time.time()
print(f"rendering frame {args.frame:g} to {args.out}", flush=True)
if args.sleep:
    time.sleep(args.sleep)
if args.exit_code:
    print(f"render failed on purpose (exit code {args.exit_code})", file=sys.stderr, flush=True)
    sys.exit(args.exit_code)
write_text(args.out, f"frame {args.frame:g} seed {args.seed}\n")
report_output(args.out, "file/image")
pdgcmd.setFloatAttrib("render_seconds", time.time() - started, 0, raise_exc=False)
