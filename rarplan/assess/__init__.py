"""Stage 1, assess: the band from the predictor, eligibility, selection, the proposal."""
