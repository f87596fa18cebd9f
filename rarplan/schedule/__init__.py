"""Stage 2, schedule: dated appointments within the court's RAR days."""
