"""Scheduled delivery: claim due digests, send them within Telegram's limits, never twice."""
