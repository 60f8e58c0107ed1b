"""The rota's domain: the team and service problem, the rules of flexible working, the plan
and rota values and the hard-rule checker. Pure Python: no files, no solver, no CLI."""
