"""A job that reports one output to a result server address it is given.

    report_with.py --out FILE [--server ADDR] [--spoil] [--save-address FILE]

--server: the address (the command carries __PDG_RESULT_SERVER__, as Houdini commands
may); default $PDG_RESULT_SERVER. --spoil: prefix the token with "x" (a wrong token
that contains the right one). --save-address: write the address used to FILE (an
output, so a test knows the token). Reporting errors are printed, never raised.
"""
import argparse
import os

from _helper import pdgcmd, write_text

parser = argparse.ArgumentParser()
parser.add_argument("--out", required=True)
parser.add_argument("--server", default="")
parser.add_argument("--spoil", action="store_true")
parser.add_argument("--save-address", default="")
args = parser.parse_args()

address = args.server or os.environ["PDG_RESULT_SERVER"]
if args.save_address:
    write_text(args.save_address, address)
if args.spoil:
    address = "x" + address
write_text(args.out, "reported\n")
pdgcmd.addOutputFile(args.out, server_addr=address, result_data_tag="file/text",
                     raise_exc=False)
print("done", flush=True)
