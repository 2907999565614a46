"""`checkin demo`: the bot and a stand-in Slack on loopback, with simulated reps, no account."""
