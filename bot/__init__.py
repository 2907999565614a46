"""The Slack surface: listeners, scheduling and delivery; wires config, storage and metrics."""
