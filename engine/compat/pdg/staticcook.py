"""``pdg.staticcook``: the static-cook helper mixin (a marker here)."""


class StaticCookMixin:
    """Houdini's helper for static cooks; the test cook drives onScheduleStatic itself."""

    def __init__(self, *args, **kwargs):
        pass
