"""Step 4 and 5: case notes, direct support, case conferences and follow-ups."""
