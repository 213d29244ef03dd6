"""``pdg.job.callbackserver``: the result server mixin."""
from engine.runtime import CallbackServerMixin  # noqa: F401
