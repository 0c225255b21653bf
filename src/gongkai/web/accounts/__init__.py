"""User profiles: which agency a user works for and in which role."""
