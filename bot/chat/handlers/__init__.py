"""Thin handlers: parse the update, call one use case, reply. One module per area."""
