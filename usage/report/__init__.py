"""Writing the report: the workbook, the charts and the Markdown summary, each atomically."""
