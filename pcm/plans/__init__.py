"""Step 3: case action plans (goals, actions, supervisor approval, reviews) and safety plans."""
