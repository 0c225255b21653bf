"""Administrative review and litigation cases about disclosure work (table 4)."""
