"""Cell status codes as plain strings, for the pure disclosure modules (no Django import).

They are the values of ``apps.disclosure.models.Status`` (tau-ARGUS letters plus two for figures
a source already protected); ``tests/disclosure/test_rules.py`` checks that both stay equal.
"""

SAFE = "V"  # publishable
FREQUENCY = "A"  # too few contributors
DOMINANCE = "B"  # (n,k)- or p%-rule (and the single-category rule, see rules.py)
DENOMINATOR = "T"  # denominator below its minimum
SECONDARY = "D"  # suppressed so that another cell cannot be recovered
SECRET_AT_SOURCE = "S"  # published secret by the source (CBS -99997)
NOT_AVAILABLE = "N"  # not available at the source

PRIMARY = frozenset({FREQUENCY, DOMINANCE, DENOMINATOR})
#: Cells whose value is withheld and must be protected (same set as ``models.SUPPRESSED``).
SUPPRESSED = frozenset({FREQUENCY, DOMINANCE, DENOMINATOR, SECONDARY, SECRET_AT_SOURCE})
#: Every code. Only SAFE cells are published; an attacker knows nothing else.
ALL = frozenset({SAFE, NOT_AVAILABLE}) | SUPPRESSED
