"""Files: cell parsing, the team and service workbook readers, the template, the rota
writer and reader, CSV, iCalendar and the capacity report."""
