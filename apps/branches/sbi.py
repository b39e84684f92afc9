"""SBI 2008: the section (letter A–U) of an SBI code, from its first two digits (the division).

The standard division → section table of the Standaard Bedrijfsindeling 2008 (CBS), the one
place the portal keeps it. Branche indicators group establishments by this letter, so a branche
can be compared across areas, and the SBI codes of a section add up to it.
"""

from __future__ import annotations

import pandas as pd

# section: (name nl, name en, first division, last division)
SECTIONS: dict[str, tuple[str, str, int, int]] = {
    "A": ("Landbouw, bosbouw en visserij", "Agriculture, forestry and fishing", 1, 3),
    "B": ("Delfstoffenwinning", "Mining and quarrying", 5, 9),
    "C": ("Industrie", "Manufacturing", 10, 33),
    "D": ("Energievoorziening", "Electricity, gas, steam and air conditioning supply", 35, 35),
    "E": ("Waterbedrijven en afval- en afvalwaterbeheer", "Water supply; sewerage and waste management", 36, 39),
    "F": ("Bouwnijverheid", "Construction", 41, 43),
    "G": ("Handel", "Wholesale and retail trade; repair of motor vehicles", 45, 47),
    "H": ("Vervoer en opslag", "Transportation and storage", 49, 53),
    "I": ("Logies-, maaltijd- en drankverstrekking", "Accommodation and food service activities", 55, 56),
    "J": ("Informatie en communicatie", "Information and communication", 58, 63),
    "K": ("Financiële dienstverlening", "Financial and insurance activities", 64, 66),
    "L": ("Verhuur van en handel in onroerend goed", "Real estate activities", 68, 68),
    "M": ("Specialistische zakelijke diensten", "Professional, scientific and technical activities", 69, 75),
    "N": ("Verhuur en overige zakelijke diensten", "Administrative and support service activities", 77, 82),
    "O": ("Openbaar bestuur en overheidsdiensten", "Public administration and defence", 84, 84),
    "P": ("Onderwijs", "Education", 85, 85),
    "Q": ("Gezondheids- en welzijnszorg", "Human health and social work activities", 86, 88),
    "R": ("Cultuur, sport en recreatie", "Arts, entertainment and recreation", 90, 93),
    "S": ("Overige dienstverlening", "Other service activities", 94, 96),
    "T": ("Huishoudens als werkgever", "Activities of households as employers", 97, 98),
    "U": ("Extraterritoriale organisaties", "Extraterritorial organisations", 99, 99),
}

# 88 divisions; numbers that are no division (04, 34, 40, 44, 48, 54, 57, 67, 76, 83, 89) map to
# no section.
DIVISION_SECTION: dict[str, str] = {
    f"{division:02d}": letter
    for letter, (_, _, first, last) in SECTIONS.items()
    for division in range(first, last + 1)
}


def section_of(code: str) -> str:
    """'5610' → 'I'; '' for an empty or unknown code."""
    return DIVISION_SECTION.get(str(code or "")[:2], "")


def sections(codes: pd.Series) -> pd.Series:
    """The section letter of every SBI code in a column ('' where unknown or empty)."""
    return codes.fillna("").astype(str).str[:2].map(DIVISION_SECTION).fillna("")


def matches_any(codes: pd.Series, prefixes) -> pd.Series:
    """Whether each SBI code starts with one of the prefixes (a risk-branch list of 2–5 digits:
    '45' matches every car trade code, '5610' matches '56101' and '56102')."""
    codes = codes.fillna("").astype(str)
    prefixes = tuple(p for p in prefixes if p)
    if not prefixes:
        return pd.Series(False, index=codes.index)
    return codes.str.startswith(prefixes) & (codes != "")
