"""The data a cook works on: enums, work items, graph nodes. No processes, no Qt."""
