"""In-app and e-mail notifications with a transactional outbox, and calendar feeds."""
