"""A scheduler for engine tests: records every callback with its arguments.

How it finishes the items it is given depends on the ``finish`` parameter:
* ``thread`` (default): a worker thread reports start, writes the item's expected
  output files, reports them and reports success (as a farm watcher would);
* ``inline``: ``onSchedule`` returns ``CookSucceeded``;
* ``none``: the item is accepted and never reported (it stays running until cancel).
``fail_index`` makes the item with that index report failure instead.
A static cook runs every item on one thread, in dependency order (unless ``none``).
"""
import json
import os
import shutil
import threading

import pdg
from pdg.scheduler import PyScheduler


class Recorder(PyScheduler):
    def __init__(self, scheduler, name):
        PyScheduler.__init__(self, scheduler, name)
        self.calls = []
        self.workers = []

    @classmethod
    def templateName(cls):
        return "recorder"

    @classmethod
    def templateBody(cls):
        return json.dumps({"name": "recorder", "parameters": [
            {"name": "finish", "label": "Finish", "type": "String", "size": 1,
             "value": "thread"},
            {"name": "fail_index", "label": "Fail Index", "type": "Integer", "size": 1,
             "value": -1},
        ]})

    # -- recording ---------------------------------------------------------------
    def record(self, name, *args):
        self.calls.append((name,) + args)

    def called(self, name):
        """The argument tuples of every call to `name`, in order."""
        return [call[1:] for call in self.calls if call[0] == name]

    def names(self):
        return [call[0] for call in self.calls]

    # -- callbacks -------------------------------------------------------------
    def onStart(self):
        self.record("onStart")
        return True

    def onStop(self):
        self.record("onStop")
        return True

    def onStartCook(self, static, cook_set):
        self.record("onStartCook", static, [node.name for node in cook_set])
        return True

    def onStopCook(self, cancel):
        self.record("onStopCook", cancel)
        for worker in self.workers:
            worker.join(10)
        self.workers = []
        return True

    def onTick(self):
        self.record("onTick")
        return pdg.tickResult.SchedulerReady

    def onSchedule(self, work_item):
        self.record("onSchedule", work_item)
        mode = self["finish"].evaluateString()
        if mode == "inline":
            return pdg.scheduleResult.CookSucceeded
        if mode == "thread":
            self._start(self._run, work_item)
        return pdg.scheduleResult.Succeeded

    def onScheduleStatic(self, dependencies, dependents, ready_items):
        self.record("onScheduleStatic", dependencies, dependents, ready_items)
        order, done = [], set()
        while len(order) < len(dependencies):
            for item, needs in dependencies.items():
                if item not in done and all(dep in done for dep in needs):
                    order.append(item)
                    done.add(item)
        if self["finish"].evaluateString() != "none":
            self._start(lambda: [self._run(item) for item in order])

    def getLogURI(self, work_item):
        self.record("getLogURI", work_item)
        return "file:///logs/%s.log" % work_item.name

    def getStatusURI(self, work_item):
        self.record("getStatusURI", work_item)
        return "http://farm.example/status/%d" % work_item.id

    def applicationBin(self, name, work_item):
        self.record("applicationBin", name, work_item)
        return "/opt/recorder/bin/" + name

    def workingDir(self, local):
        self.record("workingDir", local)
        return PyScheduler.workingDir(self, local)

    def localizePath(self, deferred_path):
        self.record("localizePath", deferred_path)
        return PyScheduler.localizePath(self, deferred_path)

    def onCancelWorkItems(self, work_items, node):
        self.record("onCancelWorkItems", list(work_items), node)

    def onTransferFile(self, file_path):
        self.record("onTransferFile", file_path)
        shutil.copy(file_path, self.workingDir(True))
        return True

    def endSharedServer(self, sharedserver_name):
        self.record("endSharedServer", sharedserver_name)
        self.clearSharedServerInfo(sharedserver_name)
        return True

    def submitAsJob(self, graph_file, node_path):
        self.record("submitAsJob", graph_file, node_path)
        return ("http://farm.example/job/7", "7")

    # -- the "farm" --------------------------------------------------------------
    def _start(self, target, *args):
        worker = threading.Thread(target=target, args=args, daemon=True)
        self.workers.append(worker)
        worker.start()

    def _run(self, work_item):
        self.onWorkItemStartCook(work_item.id, -1)
        if work_item.index == self["fail_index"].evaluateInt():
            self.onWorkItemFailed(work_item.id, -1)
            return
        for expected in work_item.expectedOutputFiles:
            folder = os.path.dirname(expected.path)
            if folder:
                os.makedirs(folder, exist_ok=True)
            with open(expected.path, "w") as handle:
                handle.write(work_item.name + "\n")
            self.onWorkItemAddOutput(work_item.id, -1, expected.path, "file/text")
        self.onWorkItemSucceeded(work_item.id, -1, 0.01)


def registerTypes(type_registry):
    type_registry.registerScheduler(Recorder, label="Recorder (tests)")
