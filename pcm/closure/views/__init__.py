"""Views of step 6, split by use case: closure, survey, reopening, transfers out and in."""
