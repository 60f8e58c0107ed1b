"""Solving: the CP-SAT team model, the duty model, the service decomposition, solve
options and results. Takes domain values in, gives domain values back."""
