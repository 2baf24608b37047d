"""Demo data: a fictional East ↔ North Kazakhstan cooperation story, generated deterministically."""
