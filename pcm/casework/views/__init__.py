"""Case-work pages, one module per use case."""
