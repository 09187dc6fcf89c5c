"""Step 2: the protection risk assessment, with the PHQ-9 and the Washington Group short set."""
