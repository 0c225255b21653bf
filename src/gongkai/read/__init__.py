"""Readers: documents and exports back into :class:`gongkai.report.Report`."""
