"""Proactive disclosure records (table 2): documents, decision counts and fee income."""
