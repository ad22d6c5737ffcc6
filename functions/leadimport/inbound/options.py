"""Import options written in an email: `option: value` lines in the body, `[option: value]` in the subject.

    Subject: Leads feria de marzo [dry-run]
    mode: create-only
    match-on: email, phone
    default source: Feria Quito

The names are the CLI's flags (`--on-match` is `on-match`), with Spanish, French, Portuguese and
Russian names beside them. A line whose name is not an option is just text; an option with a
value it cannot take refuses the email with the line that is wrong, so nothing is imported on a
misunderstanding.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError

from leadimport.core.mapping.catalog import BY_NAME
from leadimport.core.mapping.headers import match_header
from leadimport.core.models import ImportOptions
from leadimport.core.text import fold, fold_words

# option → the names a person may write for it (folded: lower case, no accents)
_NAMES: dict[str, tuple[str, ...]] = {
    "sheet": ("sheet", "hoja", "feuille", "aba", "planilha", "лист"),
    "header_row": ("header-row", "fila-encabezado", "fila-de-encabezado", "ligne-en-tete", "linha-cabecalho",
                   "строка-заголовка"),
    "first_row": ("first-row", "primera-fila", "premiere-ligne", "primeira-linha", "первая-строка"),
    "last_row": ("last-row", "ultima-fila", "derniere-ligne", "ultima-linha", "последняя-строка"),
    "match_on": ("match-on", "buscar-por", "comparer-par", "identifier-par", "comparar-por", "искать-по"),
    "on_match": ("on-match", "si-existe", "si-existant", "se-existir", "если-найден"),
    "mode": ("mode", "modo", "режим"),
    "sales_scenario": ("sales-scenario", "escenario-de-venta", "scenario-de-vente", "cenario-de-venda",
                       "сценарий-продаж"),
    "dry_run": ("dry-run", "prueba", "simulacion", "essai", "simulation", "teste", "simulacao", "проверка"),
    "create_labels": ("create-labels", "crear-etiquetas", "creer-etiquettes", "criar-etiquetas", "создать-метки"),
    "no_header": ("no-header", "sin-encabezado", "sin-cabecera", "sans-en-tete", "sem-cabecalho",
                  "без-заголовка"),
    "replace_tags": ("replace-tags", "reemplazar-etiquetas", "remplacer-etiquettes", "substituir-etiquetas",
                     "заменить-метки"),
}
_BY_NAME = {name: option for option, names in _NAMES.items() for name in names}
_DEFAULT = ("default", "por-defecto", "defecto", "valor-por-defecto", "par-defaut", "padrao", "по-умолчанию")
_TRUE = {"yes", "y", "true", "1", "si", "oui", "sim", "да", "on"}
_FALSE = {"no", "n", "false", "0", "non", "nao", "нет", "off"}
_FLAGS = ("dry_run", "create_labels", "replace_tags", "no_header")
# the value is taken whole and stripped after: a lazy value before "\s*$" rescanned every run of spaces
_LINE = re.compile(r"^\s*([^\W\d][\w .'-]{1,40}?)\s*[:=](.*)")
_LONGEST_LINE = 1_000  # no option line is longer
_BRACKET = re.compile(r"\[([^\[\]]{2,80})\]")


class OptionsError(ValueError):
    """An option the person wrote cannot be used: the message names it."""


def options_from_mail(subject: str, body: str) -> dict[str, Any]:
    """The ImportOptions fields the email sets (checked by ImportOptions itself)."""
    found: dict[str, Any] = {}
    defaults: dict[str, str] = {}
    # a bare "[dry-run]" in the subject is a flag; in the body only "name: value" lines count
    lines = [(m.group(1), True) for m in _BRACKET.finditer(subject)] + [(line, False) for line in body.splitlines()]
    for line, bare in lines:
        parsed = _option(line, bare)
        if parsed is None:
            continue
        option, value = parsed
        if option.startswith("default:"):
            defaults[option.split(":", 1)[1]] = value
        else:
            found[option] = _value(option, value, line)
    if defaults:
        found["defaults"] = defaults
    try:
        ImportOptions.model_validate(found)
    except ValidationError as exc:
        problem = exc.errors()[0]
        raise OptionsError(f"{'.'.join(str(p) for p in problem['loc'])}: {problem['msg']}") from exc
    return found


def _option(line: str, bare: bool) -> tuple[str, str] | None:
    line = line.strip()
    if len(line) > _LONGEST_LINE:
        return None
    match = _LINE.match(line)
    if not match and not bare:
        return None
    name, value = (match.group(1), match.group(2).strip()) if match else (line, "")
    key = "-".join(fold_words(name))
    if key in _BY_NAME:
        return _BY_NAME[key], value
    for prefix in _DEFAULT:  # "default source: Feria", "por defecto fuente: Feria"
        if key.startswith(prefix + "-") and match:
            words = re.split(r"[\s_-]+", name.strip())
            return f"default:{_field(' '.join(words[prefix.count('-') + 1:]), line)}", value
    return None


def _field(name: str, line: str) -> str:
    """A lead field by its own name (`source`) or by any header name the mapper knows (`fuente`)."""
    field = name.strip().lower().replace("-", "_").replace(" ", "_")
    if field in BY_NAME or field.startswith("custom."):
        return field
    match = match_header(name)
    if match and match.confidence >= 0.85:
        return match.field
    raise OptionsError(f"'{line}': {name} is not a lead field (for example source, owner, tags, country_code)")


def _value(option: str, value: str, line: str) -> Any:
    if option in _FLAGS:
        folded = fold(value).strip()
        if not folded or folded in _TRUE:  # "[dry-run]" alone means yes
            return True
        if folded in _FALSE:
            return False
        raise OptionsError(f"'{line}': write yes or no")
    if not value:
        raise OptionsError(f"'{line}' has no value")
    if option == "match_on":
        return [part.strip().lower().replace("-", "_") for part in re.split(r"[,;\s]+", value) if part.strip()]
    if option in ("header_row", "first_row", "last_row"):
        if not value.isdigit():
            raise OptionsError(f"'{line}': write a row number")
        return int(value)
    if option in ("on_match", "mode"):
        return value.strip().lower()
    return value
