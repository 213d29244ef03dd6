"""A render-like job that records every HTTP request its job helper sends.

    record_render.py --frame F --out FILE --capture FILE.jsonl

Writes FILE, reports it as an output (a ``system.multicall``) and a float attribute,
exactly as the sample render job does; each request, as the raw bytes that went on the
wire (headers and body), is appended to the capture file as one base64 JSON line so a
test can replay it later.
"""
import argparse
import base64
import http.client
import json
import os

from _helper import pdgcmd, write_text

parser = argparse.ArgumentParser()
parser.add_argument("--frame", type=float, default=0)
parser.add_argument("--out", required=True)
parser.add_argument("--capture", required=True)
args = parser.parse_args()

_send, _getresponse = http.client.HTTPConnection.send, http.client.HTTPConnection.getresponse


def send(self, data):
    raw = data.encode() if isinstance(data, str) else bytes(data)
    self.__dict__.setdefault("_sent", []).append(raw)
    return _send(self, data)


def getresponse(self):
    os.makedirs(os.path.dirname(args.capture), exist_ok=True)
    with open(args.capture, "a") as capture:
        request = b"".join(self.__dict__.pop("_sent", []))
        capture.write(json.dumps(base64.b64encode(request).decode()) + "\n")
    return _getresponse(self)


http.client.HTTPConnection.send = send
http.client.HTTPConnection.getresponse = getresponse

print("rendering frame %g" % args.frame, flush=True)
write_text(args.out, "frame %g\n" % args.frame)
pdgcmd.addOutputFile(args.out, result_data_tag="file/text")
pdgcmd.setFloatAttrib("render_seconds", 0.25, 0)
