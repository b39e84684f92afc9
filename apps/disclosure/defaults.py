"""Starting values of the disclosure parameters (research/domain.md §c: tau-ARGUS defaults, the
SDC handbook and CBS practice). Stewards change them in the admin; they are never published."""

DEFAULT_PARAMETERS = {
    "frequency_min_contributors": (3, "minimum contributors per cell (FREQ n)"),
    "frequency_safety_range": (10, "protection interval of a frequency-suppressed cell, in % (FREQ range)"),
    "dominance_n": (2, "number of largest contributors in the (n,k)-rule"),
    "dominance_k": (85, "share in % the n largest may not exceed (n,k)-rule"),
    "p_percent": (10, "p of the p%-rule for sums of amounts"),
    "rounding_base": (5, "base of the unbiased random rounding of counts from extracts"),
    "min_persons_for_rates": (100, "minimum persons or households for rates about people (T)"),
    "min_dwellings": (20, "minimum dwellings for dwelling shares (T)"),
    "min_establishments": (20, "minimum establishments per branche breakdown (T)"),
}
