"""Country and month names come from CLDR through Babel: every name the hand-written tables took before is
still read the same, and CLDR's names in our languages come for free."""

from __future__ import annotations

import datetime as dt

import pytest

from leadimport.core.validate.countries import country_code
from leadimport.core.validate.dates import parse_date

# The hand-written table these replaced, as it was: every name it held must still name the same country
# (its multi-word names whole: single words of them, "costa" or "united", were matches by accident).
HAND_WRITTEN_COUNTRIES = {
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
_MULTI = ("costa rica", "república dominicana", "republica dominicana", "dominican republic", "estados unidos",
          "united states", "united kingdom", "reino unido")
_COUNTRIES = sorted({(name, code) for code, names in HAND_WRITTEN_COUNTRIES.items() for name in names.split()
                     if not any(name in multi.split() for multi in _MULTI)}
                    | {(multi, next(c for c, n in HAND_WRITTEN_COUNTRIES.items() if multi in n)) for multi in _MULTI})

# The hand-written month names, by month
HAND_WRITTEN_MONTHS = (
    "january jan enero ene janvier janv janeiro января январь янв",
    "february feb febrero février fevrier févr fev fevereiro февраля февраль фев",
    "march mar marzo mars março марта март",
    "april apr abril avril avr апреля апрель апр",
    "may mayo mai maio мая май",
    "june jun junio juin junho июня июнь",
    "july jul julio juillet juil julho июля июль",
    "august aug agosto août aout ago августа август авг",
    "september sep sept septiembre setiembre septembre set setembro сентября сентябрь сен",
    "october oct octubre octobre out outubro октября октябрь окт",
    "november nov noviembre novembre novembro ноября ноябрь ноя",
    "december dec diciembre dic décembre decembre déc dez dezembro декабря декабрь дек",
)


@pytest.mark.parametrize(("name", "code"), _COUNTRIES)
def test_every_country_name_the_old_table_took_is_read_the_same(name: str, code: str) -> None:
    assert [country_code(name), country_code(name.upper()), country_code(f"  {name.title()} ")] == [code] * 3


@pytest.mark.parametrize(("number", "names"), list(enumerate(HAND_WRITTEN_MONTHS, start=1)))
def test_every_month_name_the_old_table_took_is_read_the_same(number: int, names: str) -> None:
    for name in names.split():
        assert parse_date(f"3 {name} 2024") == dt.date(2024, number, 3), name
        assert parse_date(f"{name.upper()} 3, 2024") == dt.date(2024, number, 3), name


@pytest.mark.parametrize(("cell", "code"), [
    ("Côte d’Ivoire", "CI"), ("COTE DIVOIRE", "CI"), ("Соединённые Штаты", "US"), ("Соединенные Штаты", "US"),
    ("Honduras", "HN"), ("El Salvador", "SV"), ("Nicaragua", "NI"), ("Cuba", "CU"), ("Puerto Rico", "PR"),
    ("Marruecos", "MA"), ("Maroc", "MA"), ("Sénégal", "SN"), ("Казахстан", "KZ"), ("Узбекистан", "UZ"),
    ("Moçambique", "MZ"), ("Angola", "AO"), ("Reino Unido", "GB"), ("EE.UU.", "US"), ("РФ", "RU"),
    ("Atlantis", None), ("costa", None),
])
def test_cldr_names_in_our_languages_come_for_free(cell: str, code: str | None) -> None:
    assert country_code(cell) == code


@pytest.mark.parametrize(("cell", "day"), [
    ("1 января 2024", dt.date(2024, 1, 1)), ("1 сент. 2024", dt.date(2024, 9, 1)),
    ("5 févr. 2024", dt.date(2024, 2, 5)),
    ("12 de setiembre de 2024", dt.date(2024, 9, 12)), ("7 juill. 2024", dt.date(2024, 7, 7)),
    ("30 dez. 2024", dt.date(2024, 12, 30)),
])
def test_cldr_month_forms_are_read(cell: str, day: dt.date) -> None:
    assert parse_date(cell) == day
