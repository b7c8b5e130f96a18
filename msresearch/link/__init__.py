"""Linking: commitments across documents and levels (reuse)."""
