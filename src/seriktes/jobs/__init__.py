"""Background jobs: rows that say what runs, the huey queue that runs them, their kinds."""
