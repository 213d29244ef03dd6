"""The cook: the loop that drives a scheduler through a graph, and what it reports."""
