"""Digests as the product delivers them: windows read from storage, composed, rendered."""
