"""The need-to-know access policy: the one place that says who sees which cases and people."""
