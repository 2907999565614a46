"""Persistence: models, queries and migrations. Knows nothing of Slack or metrics."""
