"""A job that knows only its item's id: the same command line for every item of a node.

Reads ``PDG_ITEM_ID``, finds that item's data file under ``$PDG_TEMP/data``, and does
the item's work from its data: writes ``$PDG_DIR/<node>/frame.<frame4>.txt`` (from the
upstream node's file of the same frame, if ``--from NODE``) and reports it.
"""
import argparse
import glob
import json
import os
import sys

from _pdgjob import report_output, write_text

parser = argparse.ArgumentParser()
parser.add_argument("--from", dest="upstream", default="")
args = parser.parse_args()

item_id = int(os.environ["PDG_ITEM_ID"])
item = None
for path in glob.glob(os.path.join(os.environ["PDG_TEMP"], "data", "*.json")):
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)["workitem"]
    if data["id"] == item_id:
        item = data
        break
if item is None:
    sys.exit(f"no data file for work item {item_id} under $PDG_TEMP/data")
frame = int(item["frame"])
out = os.path.join(os.environ["PDG_DIR"], item["nodeName"], "frame.%04d.txt" % frame)
text = "item %d frame %d\n" % (item_id, frame)
if args.upstream:
    source = os.path.join(os.environ["PDG_DIR"], args.upstream, "frame.%04d.txt" % frame)
    with open(source, encoding="utf-8") as handle:
        text = handle.read().upper() + text
write_text(out, text)
report_output(out)
print("item %d (%s) wrote %s" % (item_id, item["name"], out), flush=True)
