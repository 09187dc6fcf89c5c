"""Cross-cutting tests (role matrix, browser journeys) and the shared test factories."""
