"""msresearch: measure how local governments' livelihood (民生) priorities shift."""

__version__ = "0.1.0"
