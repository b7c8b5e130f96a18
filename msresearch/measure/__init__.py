"""Measures and inference at the unit that was sampled."""
