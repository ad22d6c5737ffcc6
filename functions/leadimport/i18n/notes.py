"""Job notes — what the reader and the mapper want the person to know about the whole file — in the
tenant's language. Stages record a code and its details; the pipeline renders them once, for the
job, the report and its email."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

_TEMPLATES: dict[str, dict[str, str]] = {
    "text_format": {"en": "Read as text: encoding {encoding}, delimiter {delimiter}",
                    "es": "Leído como texto: codificación {encoding}, separador {delimiter}",
                    "fr": "Lu comme texte : encodage {encoding}, séparateur {delimiter}",
                    "ru": "Прочитан как текст: кодировка {encoding}, разделитель {delimiter}",
                    "pt": "Lido como texto: codificação {encoding}, separador {delimiter}"},
    "sheet_read": {"en": "Read the sheet '{sheet}' (the file has {count} sheets; choose another with the sheet option)",
                   "es": "Se leyó la hoja '{sheet}' (el archivo tiene {count} hojas; elija otra con la opción hoja)",
                   "fr": "Feuille lue : '{sheet}' (le fichier en a {count} ; choisissez-en une autre avec l'option "
                         "feuille)",
                   "ru": "Прочитан лист '{sheet}' (в файле листов: {count}; другой можно выбрать параметром лист)",
                   "pt": "Foi lida a aba '{sheet}' (o arquivo tem {count} abas; escolha outra com a opção aba)"},
    "header_row": {"en": "Column names found on row {row}", "es": "Nombres de columna encontrados en la fila {row}",
                   "fr": "Noms de colonnes trouvés à la ligne {row}", "ru": "Названия столбцов найдены в строке {row}",
                   "pt": "Nomes das colunas encontrados na linha {row}"},
    "repeated_header": {"en": "Rows repeating the column names were not imported: {rows}",
                        "es": "No se importaron las filas que repiten los nombres de columna: {rows}",
                        "fr": "Les lignes qui répètent les noms de colonnes n'ont pas été importées : {rows}",
                        "ru": "Строки, повторяющие названия столбцов, не импортированы: {rows}",
                        "pt": "As linhas que repetem os nomes das colunas não foram importadas: {rows}"},
    "saved_mapping": {"en": "Used the mapping saved for files with these columns.",
                      "es": "Se usó el mapeo guardado para archivos con estas columnas.",
                      "fr": "Correspondance enregistrée pour les fichiers avec ces colonnes utilisée.",
                      "ru": "Использовано сохранённое сопоставление для файлов с такими столбцами.",
                      "pt": "Foi usado o mapeamento salvo para arquivos com estas colunas."},
    "no_contact_column": {"en": "No column was recognised as email or phone: every row needs one of them.",
                          "es": "Ninguna columna se reconoció como correo o teléfono: cada fila necesita uno de ellos.",
                          "fr": "Aucune colonne reconnue comme e-mail ou téléphone : chaque ligne en a besoin d'un.",
                          "ru": "Ни один столбец не распознан как эл. почта или телефон: в каждой строке нужен один "
                                "из них.",
                          "pt": "Nenhuma coluna foi reconhecida como e-mail ou telefone: cada linha precisa de um."},
    "no_name_column": {"en": "No column was recognised as a name (first name, last name or full name).",
                       "es": "Ninguna columna se reconoció como nombre (nombre, apellido o nombre completo).",
                       "fr": "Aucune colonne reconnue comme nom (prénom, nom ou nom complet).",
                       "ru": "Ни один столбец не распознан как имя (имя, фамилия или ФИО).",
                       "pt": "Nenhuma coluna foi reconhecida como nome (nome, sobrenome ou nome completo)."},
    "unmapped_columns": {"en": "Columns not imported: {columns}", "es": "Columnas no importadas: {columns}",
                         "fr": "Colonnes non importées : {columns}", "ru": "Не импортированы столбцы: {columns}",
                         "pt": "Colunas não importadas: {columns}"},
}


@dataclass(frozen=True, slots=True)
class Note:
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def render(self, locale: str) -> str:
        templates = _TEMPLATES[self.code]
        return templates.get(locale, templates["en"]).format(**self.params)


def listed(items: list[Any], most: int = 20) -> str:
    """'3, 7, 9 …': a list as a note shows it, cut after `most` items."""
    return ", ".join(str(i) for i in items[:most]) + (" …" if len(items) > most else "")
