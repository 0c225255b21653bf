"""The annual report: the template editions as data, the model, the flat form and the rules."""

from .model import Report, ReportFormatError
from .template import Edition, edition, edition_for_year, editions

__all__ = ["Edition", "Report", "ReportFormatError", "edition", "edition_for_year", "editions"]
