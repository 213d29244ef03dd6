"""The scheduler side of the PDG API: the base class, its parameters, the mixins."""
