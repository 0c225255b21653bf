"""Annual reports: drafts of the text sections and the compile from the ledger."""
