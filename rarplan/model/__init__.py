"""The shared model: the case, the plan, the need areas, the errors, and the RAR-day rule."""
