"""The Houdini a test cook's scheduler finds: the ``hou`` names schedulers use.

``engine/compat/hou`` fronts this package (through `scheduler_studio.engine.runtime`), as
``engine/compat/pdg`` fronts the cook engine. Nothing here needs Houdini: the scene is
a per-cook path under ``$HIP``, the nodes are the scheduler's and the sample graph's,
their parameters are the scheduler's parameters and the graph node's ``parms``.
"""
