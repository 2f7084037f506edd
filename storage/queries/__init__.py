"""Named queries, one module per entity. Session first, arguments keyword-only; callers commit."""
