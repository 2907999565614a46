"""The Slack surface: listeners, scheduling and delivery; wires configuration, storage and metrics."""
