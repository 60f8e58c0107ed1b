"""Dictation-app usage: ingest vendor logs, rosters and surveys into SQLite, report uptake.

``readers`` turn files into checked rows, ``store`` keeps them (SQLite) and reads them
back, ``metrics`` computes the report's tables, and ``report`` writes the workbook,
charts and summary. ``ingest.ingest`` and ``report.publish.report`` are the entry
points; ``commands`` is the thin click layer over them.
"""
