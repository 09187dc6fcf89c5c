"""Pages of case action plans and safety plans, split by use case."""
