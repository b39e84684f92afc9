"""Starting list of risk branches (SBI), after the Zicht op Ondermijning branche analyses."""

DEFAULT_RISK_BRANCHES = {
    "4511": "Handel in en reparatie van personenauto's",
    "4719": "Supermarkten en warenhuizen (niet-gespecialiseerd)",
    "4778": "Winkels in overige artikelen",
    "5510": "Hotels",
    "5610": "Restaurants",
    "5630": "Cafés",
    "6420": "Financiële holdings",
    "6810": "Handel in eigen onroerend goed",
    "9313": "Fitnesscentra",
    "9602": "Kappers en schoonheidsverzorging (nagelstudio's)",
    "9604": "Sauna's, solaria, baden",
}
