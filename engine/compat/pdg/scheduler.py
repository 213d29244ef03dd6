"""``pdg.scheduler``: the base class custom schedulers derive from."""

from scheduler_studio.engine.runtime import NotAvailableError, PyScheduler  # noqa: F401


def evaluateParamOr(scheduler, parm_name, default, work_item=None):
    """The value of a scheduler parameter, or `default` when it has none."""
    params = getattr(getattr(scheduler, "_pdg_state", None), "params", None)
    if params is not None and parm_name not in params:
        return default  # asked with a default: not a read of an undefined parameter
    try:
        port = scheduler[parm_name]
    except KeyError:
        return default
    return port.evaluate()


def convertEnvMapToUTF8(env):
    """Environment values as str (Houdini 17.5 needed this for Python 2)."""
    return {str(k): str(v) for k, v in dict(env).items()}


def submitGraphAsJob(*args, **kwargs):
    raise NotAvailableError("pdg.scheduler.submitGraphAsJob")
