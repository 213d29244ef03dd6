"""Starts a shared echo server and reports it to PDG, then exits (the server stays)."""
import argparse
import os
import subprocess
import sys

from _pdgjob import pdgcmd

parser = argparse.ArgumentParser()
parser.add_argument("--name", required=True)
args = parser.parse_args()

server = subprocess.Popen([sys.executable, os.path.join(os.path.dirname(__file__), "echo_server.py")],
                          stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
port = int(server.stdout.readline())
print(f"shared server {args.name!r} listening on 127.0.0.1:{port} (pid {server.pid})", flush=True)
pdgcmd.reportServerStarted(args.name, server.pid, "127.0.0.1", port, "raw")
