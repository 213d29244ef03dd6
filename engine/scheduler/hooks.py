"""The work-item report hooks (``workItemSucceeded``...) every scheduler has.

Houdini's callback-server mixin dispatches job reports to these, and schedulers call
them directly too — also schedulers without the mixin, whose farm client reports
through them. They forward to the base class's ``onWorkItem*`` reports.
"""
from __future__ import annotations


class ReportHooks:
    def workItemStartCook(self, work_item_name, index=-1, jobid="", *args) -> None:
        self.onWorkItemStartCook(work_item_name, index)

    def workItemSucceeded(self, work_item_name, index=-1, cook_duration=0.0, jobid="", *args) -> None:
        self.onWorkItemSucceeded(work_item_name, index, cook_duration)

    def workItemFailed(self, work_item_name, index=-1, jobid="", *args) -> None:
        self.onWorkItemFailed(work_item_name, index)

    def workItemCancelled(self, work_item_name, index=-1, jobid="", *args) -> None:
        self.onWorkItemCanceled(work_item_name, index)

    workItemCanceled = workItemCancelled

    def workItemFileResult(self, work_item_name, subindex, result, tag="", checksum=0,
                           jobid="", *args) -> None:
        self.onWorkItemFileResult(work_item_name, subindex, result, tag, checksum)

    def workItemSetAttribute(self, work_item_name, *args) -> None:
        self.onWorkItemSetAttribute(work_item_name, *args[:3])

    def onSharedServerStarted(self, args: dict) -> bool:
        self.setSharedServerInfo(str(args.get("name")), args)
        return True

    def isWorkItemReady(self, work_item_name, index=-1) -> int:
        return 1
