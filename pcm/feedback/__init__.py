"""Feedback and complaints register (accountability to affected people)."""
