"""The documents: the plan for the person, the court proposal, the referral sheet."""
