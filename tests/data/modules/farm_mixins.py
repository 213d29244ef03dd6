#!/usr/bin/env python
# -*- coding: utf-8 -*-
#
# farm_mixins.py - a farm scheduler written by hand, the way studios do:
# mixins, helpers, decorators, module constants and comments everywhere.
#

"""Sends work items to the (imaginary) Acme render farm."""

import json
import logging
import os
import threading

import pdg
from pdg.scheduler import PyScheduler
from pdg.job.callbackserver import CallbackServerMixin
from pdg.staticcook import StaticCookMixin
from pdg.utils import expand_vars, TickTimer

logger = logging.getLogger(__name__)

# Seconds between two polls of the farm.
POLL_SECONDS = 2.5
_STATES = {
    "done": pdg.workItemState.CookedSuccess,   # finished fine
    "error": pdg.workItemState.CookedFail,
}


def _farm_call(verb, *args):
    """Pretend to talk to the farm's command-line tool."""
    logger.debug("acme %s %s", verb, args)
    return {"verb": verb, "args": list(args)}


class AcmeScheduler(StaticCookMixin, CallbackServerMixin, PyScheduler):
    """
    Scheduler for the Acme farm.

    Jobs report back through the callback server.
    """
    # class attributes, kept as they are
    lock = threading.Lock()
    jobs = {}                       # farm job id -> work item id

    def __init__(self, scheduler, name):
        PyScheduler.__init__(self, scheduler, name)
        StaticCookMixin.__init__(self)
        CallbackServerMixin.__init__(self, False)
        self.parmprefix = "acme"
        self.tick_timer = None

    @classmethod
    def templateName(cls):
        return "acmescheduler"

    @classmethod
    def templateBody(cls):
        return json.dumps({
            "name": "acmescheduler",
            "parameters": [
                # where the farm writes logs
                {
                    "name": "acme_logdir",
                    "label": "Log Folder",
                    "type": "String",
                    "size": 1,
                    "value": "$HIP/logs",
                },
                {
                    "name": "acme_priority",
                    "label": "Priority",
                    "type": "int",          # lowercase, as seen in the wild
                    "size": 1,
                    "value": 50,
                    "tag": ["pdg::scheduler"],
                },
                {
                    "name": "acme_paused",
                    "type": "bool",
                    "value": False,
                },
            ],
        })

    # ---- helpers ---------------------------------------------------------

    @staticmethod
    def _job_name(work_item):
        return "pdg_%s" % work_item.name

    @property
    def priority(self):
        return self["acme_priority"].evaluateInt()

    def _submit(self, work_item, command):
        reply = _farm_call("submit", self._job_name(work_item), command,
                           self.priority)
        with self.lock:
            self.jobs[reply["verb"]] = work_item.id
        return reply

    # ---- callbacks -------------------------------------------------------

    def onSchedule(self, workitem):  # HOUDINI CALLBACK
        # The argument has another name than PDG's docs use: keep it.
        self.createJobDirsAndSerializeWorkItems(workitem)
        command = self.expandCommandTokens(workitem.command, workitem)
        script = '''#!/bin/sh
# written at column 0 inside a method: must not move
exec %s
''' % command
        self._submit(workitem, script)
        return pdg.scheduleResult.Succeeded

    def onTick(self):
        with self.lock:
            busy = len(self.jobs) > 100
        if busy:
            return pdg.tickResult.SchedulerBusy
        return pdg.tickResult.SchedulerReady
        # nothing after a return runs, but the comment stays

    def onStartCook(self, static: bool, cook_set) -> bool:
        # annotated: not the catalogue's signature, stays in extra members
        if not self.isCallbackServerRunning():
            self.startCallbackServer()
        return True

    def onStopCook(self, cancel):
        if cancel:
            for job in list(self.jobs):
                _farm_call("kill", job)
        self.jobs.clear()
        return True

    def endSharedServer(self, sharedserver_name, kill=False):
        # an extra keyword: stays in extra members
        return True

    def getLogURI(self, work_item):
        folder = expand_vars(self["acme_logdir"].evaluateString())
        return "file://" + os.path.join(folder, work_item.name + ".log")

    def getStatusURI(self, work_item): return ""


def registerTypes(type_registry):
    type_registry.registerScheduler(AcmeScheduler, label="Acme Farm")
