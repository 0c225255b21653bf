"""The audit of a region: many agencies, many years of published reports, in one run.

``run(paths, out_dir)`` reads every report (the batch reader, with a cache), identifies agency and year,
runs the single-report rules (R1–R6, X3) and the rules over the region (X1/X2, P1, P2, C1, H1, N1–N3),
computes the indicators and writes the dataset, the findings, the review file and the audit page.
docs/audit.md describes the method.
"""

from .run import Audit, analyse, run

__all__ = ["Audit", "analyse", "run"]
