"""The Django web application: the ledger in a database and the annual report compiled from it."""
