"""Guided lessons: steps that put a lab into an exact state and say what to look at (see ``lesson``)."""
