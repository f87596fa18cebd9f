"""Stage 3, deliver: attendance, outcomes, completion and the caseload."""
