#!/usr/bin/env hython
# -*- coding: utf-8 -*-
#
# Copyright (c) 2026 Example Pipeline Ltd. All rights reserved.
# Licensed under the MIT licence; see LICENSE for details.
#
"""A farm scheduler in the shape TDs write by hand: a client library,
helpers between the callbacks, comments everywhere, no registerTypes in
the usual place."""

import os, sys  # two at once, as people do
import json
import logging

import pdg
from pdg.scheduler import PyScheduler
from pdg.job.callbackserver import CallbackServerMixin
from pdg.utils import expand_vars

log = logging.getLogger('farmsched')


def _quote(arg):
    # keep the shell happy
    return "'" + arg.replace("'", "'\\''") + "'"


class FarmScheduler(CallbackServerMixin, PyScheduler):
    '''Sends every work item to the farm as one task.'''

    POLL_SECONDS = 2  # how often we ask the farm

    def __init__(self, scheduler, name):
        PyScheduler.__init__(self, scheduler, name)
        CallbackServerMixin.__init__(self, False)
        self.jobs = {}   # item id -> farm task id

    @classmethod
    def templateName(cls):
        return 'farmsched'

    @classmethod
    def templateBody(cls):
        return json.dumps({
            'name': 'farmsched',
            'parameters': [
                # where the farm reads its job files
                {
                    'name': 'farm_queue',
                    'label': 'Farm Queue',
                    'type': 'String',
                    'size': 1,
                    'value': 'render',
                },
                # how many tasks may run at once
                {
                    'name': 'farm_limit',
                    'label': 'Task Limit',
                    'type': 'Integer',
                    'size': 1,
                    'value': 8,
                },
            ],
        })

    def onStart(self):  # called once
        log.info('farm scheduler up')
        return True

    def _submit(self, work_item):
        """Helper between callbacks: builds the farm's command line."""
        cmd = self.expandCommandTokens(work_item.command, work_item)
        return ' '.join(_quote(a) for a in cmd.split())

    def onSchedule(self, work_item):
        # Every item becomes one farm task.
        if work_item.isNoGenerate:
            return pdg.scheduleResult.Succeeded
        self.createJobDirsAndSerializeWorkItems(work_item)
        line = self._submit(work_item)
        self.jobs[work_item.id] = line   # pretend the farm took it
        return pdg.scheduleResult.Succeeded

    def onTick(self):
        # nothing to poll in this miniature
        return pdg.tickResult.SchedulerReady

    # -- cleanup -------------------------------------------------------

    def onStopCook(self, cancel):
        self.jobs.clear()
        return True


def registerTypes(type_registry):
    type_registry.registerScheduler(FarmScheduler, label='Farm Scheduler')


# Module code after registerTypes, as some studios keep it.
if __name__ == '__main__':
    print('this module is loaded by Houdini, not run')
