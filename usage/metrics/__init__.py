"""The report's figures from the stored rows: funnel, licence decisions, survey, suppression."""
