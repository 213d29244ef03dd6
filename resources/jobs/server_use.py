"""Asks a shared server (looked up by name through PDG) to process a line."""
import argparse
import socket

from _pdgjob import pdgcmd, report_output, write_text

parser = argparse.ArgumentParser()
parser.add_argument("--name", required=True)
parser.add_argument("--out", required=True)
parser.add_argument("--text", default="hello")
args = parser.parse_args()

info = pdgcmd.getSharedServerInfo(args.name)
if not info:
    raise SystemExit(f"no shared server named {args.name!r} is known to PDG")
with socket.create_connection((info["host"], int(info["port"])), timeout=10) as conn:
    conn.sendall(args.text.encode())
    answer = conn.recv(65536).decode()
write_text(args.out, answer + "\n")
report_output(args.out)
print(f"server {args.name} answered {answer!r}", flush=True)
