"""What rota, usage and trials share: the error type for a user's mistake, atomic file
writes, and the house style of a spreadsheet sheet. Small on purpose (see ARCHITECTURE.md)."""
