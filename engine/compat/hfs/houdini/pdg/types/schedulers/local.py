"""``$HFS/houdini/pdg/types/schedulers/local.py`` of the test cook: a LocalScheduler.

Schedulers that extend SideFX's local scheduler do
``sys.path.append(os.path.expandvars("$HFS/houdini/pdg/types/schedulers"))`` and
``from local import LocalScheduler``. The cook host points ``$HFS`` here, so they get
this class: SideFX's name, Scheduler Studio's Local template's behaviour (jobs as local
processes, at most ``max_jobs`` at once), and the members subclasses override or use:
``onPreSubmitItem(work_item, job_env, item_command)`` (returns the command the job
runs), ``_verbose`` and ``_verboseLog``. SideFX's other schedulers (``tbdeadline``,
``hqueuescheduler``...) are not here: importing one says so and how to give it a
stand-in.
"""
from scheduler_studio.engine.runtime import local_template_class

_Template = local_template_class()


class LocalScheduler(_Template):
    """Runs work items as processes on this machine (the test cook's own)."""

    _verbose = False

    def onPreSubmitItem(self, work_item, job_env, item_command):
        """Called with each job's environment and command line before it starts;
        returns the command to run. Subclasses rewrite it here."""
        return item_command

    def _job_command(self, work_item, env):
        command = _Template._job_command(self, work_item, env)
        changed = self.onPreSubmitItem(work_item, env, command)
        return command if changed is None else str(changed)
