"""Graphs, templates, job scripts, themes and icons shipped with the studio (data only:
found through scheduler_studio.engine.package_files)."""
