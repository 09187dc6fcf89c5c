"""Browser journeys in real headless Chromium, driven by Playwright."""
