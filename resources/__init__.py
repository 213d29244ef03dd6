"""Graphs, templates, job scripts, themes and icons shipped with the studio (data only:
found through engine.package_files)."""
