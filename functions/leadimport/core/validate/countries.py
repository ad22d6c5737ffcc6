"""Country cells as people fill them: ISO codes, names in our users' languages, or dialling codes."""

from __future__ import annotations

from functools import lru_cache

import phonenumbers

from leadimport.core.text import fold

_NAMES = {
    "EC": "ecuador", "PE": "peru perú pérou перу", "CO": "colombia colombie колумбия",
    "CL": "chile chili чили", "AR": "argentina argentine аргентина", "MX": "mexico méxico mexique мексика",
    "BO": "bolivia bolivie боливия", "UY": "uruguay уругвай", "PY": "paraguay парагвай",
    "VE": "venezuela венесуэла", "PA": "panama panamá панама", "CR": "costa rica коста-рика",
    "GT": "guatemala гватемала", "DO": "república dominicana republica dominicana dominican republic",
    "BR": "brasil brazil brésil бразилия", "ES": "españa espana spain espagne испания",
    "FR": "francia france франция", "RU": "rusia russia russie россия рф", "KZ": "kazakhstan kazajistán казахстан",
    "BY": "belarus bielorrusia беларусь", "UA": "ukraine ucrania украина", "US": "usa estados unidos united states",
    "GB": "uk united kingdom reino unido royaume-uni великобритания", "DE": "germany alemania allemagne германия",
    "IT": "italy italia italie италия", "PT": "portugal португалия", "BE": "belgium bélgica belgique бельгия",
    "CH": "switzerland suiza suisse швейцария", "CA": "canada canadá канада",
}
_BY_NAME: dict[str, str] = {}
for _code, _names in _NAMES.items():
    for _name in _names.split(" "):
        _BY_NAME[fold(_name)] = _code
for _multi in ("costa rica", "república dominicana", "republica dominicana", "dominican republic", "estados unidos",
               "united states", "united kingdom", "reino unido"):
    _BY_NAME[fold(_multi)] = next(code for code, names in _NAMES.items() if _multi in names)


@lru_cache(maxsize=4096)  # a file names a handful of countries, row after row
def country_code(text: str) -> str | None:
    """The ISO 3166 alpha-2 code a cell names, or None."""
    value = text.strip()
    if len(value) == 2 and value.upper() in phonenumbers.SUPPORTED_REGIONS:
        return value.upper()
    digits = value.lstrip("+")
    if digits.isdigit() and 1 <= len(digits) <= 3:
        region = phonenumbers.region_code_for_country_code(int(digits))
        return None if region == "ZZ" else region  # seed 001's "Country Code" may be a dialling code
    return _BY_NAME.get(fold(value))
