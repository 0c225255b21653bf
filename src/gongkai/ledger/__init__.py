"""The disclosure-request ledger: events, derived state and deadlines, fees, outcomes."""
