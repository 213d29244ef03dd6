"""``pdgjob.pdgcmd``: the job helper, as jobs and some schedulers import it."""
from scheduler_studio.engine.runtime import job_helper_module as _job_helper_module

globals().update({k: v for k, v in vars(_job_helper_module()).items()
                  if not k.startswith("__")})
