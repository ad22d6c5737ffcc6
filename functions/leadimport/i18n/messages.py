"""Row messages in the tenant's language: one template per stable code, rendered with its details.

The code is what programs look at; the message is what the person reads in the report, the email
and the sheet. English is the fallback for a locale or a code without a translation.
"""

from __future__ import annotations

from typing import Any

_TEMPLATES: dict[str, dict[str, str]] = {
    "required_missing": {
        "en": "{field} is required",
        "es": "{field} es obligatorio",
        "fr": "{field} est obligatoire",
        "ru": "Поле «{field}» обязательно",
        "pt": "{field} é obrigatório",
    },
    "no_key": {
        "en": "Nothing to find the lead by: give one of {keys}",
        "es": "No hay con qué encontrar el lead: indique {keys}",
        "fr": "Rien pour retrouver le lead : indiquez {keys}",
        "ru": "Не по чему найти лид: укажите {keys}",
        "pt": "Nada para encontrar o lead: informe {keys}",
    },
    "no_contact": {
        "en": "Give an email or a phone: both are empty",
        "es": "Indique un correo o un teléfono: ambos están vacíos",
        "fr": "Indiquez un e-mail ou un téléphone : les deux sont vides",
        "ru": "Укажите эл. почту или телефон: оба поля пустые",
        "pt": "Informe um e-mail ou um telefone: ambos estão vazios",
    },
    "invalid_email": {
        "en": "'{value}' is not a valid email: {reason}",
        "es": "'{value}' no es un correo válido: {reason}",
        "fr": "'{value}' n'est pas un e-mail valide : {reason}",
        "ru": "'{value}' — неверный адрес эл. почты: {reason}",
        "pt": "'{value}' não é um e-mail válido: {reason}",
    },
    "invalid_phone": {
        "en": "'{value}' is not a valid phone number{where}{hint}",
        "es": "'{value}' no es un teléfono válido{where}{hint}",
        "fr": "'{value}' n'est pas un numéro de téléphone valide{where}{hint}",
        "ru": "'{value}' — неверный номер телефона{where}{hint}",
        "pt": "'{value}' não é um telefone válido{where}{hint}",
    },
    "duplicate_in_file": {
        "en": "Same {field} as row {first} ({value})",
        "es": "Mismo {field} que la fila {first} ({value})",
        "fr": "Même {field} que la ligne {first} ({value})",
        "ru": "То же значение «{field}», что в строке {first} ({value})",
        "pt": "Mesmo {field} da linha {first} ({value})",
    },
    "same_lead_in_file": {
        "en": "Same lead as row {first}: put both rows' changes in one row",
        "es": "Es el mismo lead que la fila {first}: reúna los cambios de ambas filas en una",
        "fr": "Même lead que la ligne {first} : regroupez les modifications des deux lignes en une",
        "ru": "Тот же лид, что в строке {first}: объедините изменения обеих строк в одной",
        "pt": "Mesmo lead da linha {first}: junte as alterações das duas linhas em uma",
    },
    "unknown_owner": {
        "en": "No active user '{value}': a new lead goes to the default owner, an existing one keeps its owner",
        "es": "No hay un usuario activo '{value}': un lead nuevo va al responsable por defecto, uno existente "
              "conserva el suyo",
        "fr": "Aucun utilisateur actif '{value}' : un nouveau lead va au propriétaire par défaut, un lead existant "
              "garde le sien",
        "ru": "Нет активного пользователя '{value}': новый лид получит ответственного по умолчанию, у существующего "
              "он не изменится",
        "pt": "Nenhum usuário ativo '{value}': um lead novo vai para o responsável padrão, um existente mantém o seu",
    },
    "ambiguous_owner": {
        "en": "{count} users are called '{value}': write the owner's email instead",
        "es": "{count} usuarios se llaman '{value}': escriba el correo del responsable",
        "fr": "{count} utilisateurs s'appellent '{value}' : indiquez plutôt l'e-mail du propriétaire",
        "ru": "Пользователей с именем '{value}': {count}. Укажите эл. почту ответственного",
        "pt": "{count} usuários se chamam '{value}': escreva o e-mail do responsável",
    },
    "invalid_date": {
        "en": "'{value}' is not a date (write it as {example})",
        "es": "'{value}' no es una fecha (escríbala como {example})",
        "fr": "'{value}' n'est pas une date (écrivez-la comme {example})",
        "ru": "'{value}' — не дата (пример: {example})",
        "pt": "'{value}' não é uma data (escreva como {example})",
    },
    "invalid_value": {
        "en": "'{value}' is not a valid {field}; use one of: {allowed}",
        "es": "'{value}' no es un valor válido de {field}; use uno de: {allowed}",
        "fr": "'{value}' n'est pas une valeur valide pour {field} ; utilisez : {allowed}",
        "ru": "'{value}' — недопустимое значение поля «{field}»; допустимо: {allowed}",
        "pt": "'{value}' não é um valor válido de {field}; use um de: {allowed}",
    },
    "invalid_number": {
        "en": "'{value}' is not an amount",
        "es": "'{value}' no es un importe",
        "fr": "'{value}' n'est pas un montant",
        "ru": "'{value}' — не сумма",
        "pt": "'{value}' não é um valor",
    },
    "invalid_id_number": {
        "en": "'{value}' is not a valid {id_type} number",
        "es": "'{value}' no es un número de {id_type} válido",
        "fr": "'{value}' n'est pas un numéro {id_type} valide",
        "ru": "'{value}' — неверный номер {id_type}",
        "pt": "'{value}' não é um número de {id_type} válido",
    },
    "id_number_repaired": {
        "en": "Leading zeros restored in the document number: {value}",
        "es": "Se restauraron los ceros iniciales del número de documento: {value}",
        "fr": "Zéros initiaux rétablis dans le numéro de pièce : {value}",
        "ru": "В номере документа восстановлены ведущие нули: {value}",
        "pt": "Zeros à esquerda restaurados no número do documento: {value}",
    },
    "id_type_missing": {
        "en": "No document type for '{value}': stored as 'other'",
        "es": "Falta el tipo de documento de '{value}': se guarda como 'otro'",
        "fr": "Type de pièce manquant pour '{value}' : enregistré comme 'autre'",
        "ru": "Не указан тип документа для '{value}': сохранён как «другой»",
        "pt": "Falta o tipo de documento de '{value}': salvo como 'outro'",
    },
    "unknown_label": {
        "en": "'{value}' is not a known {field}: not attached",
        "es": "'{value}' no existe como {field}: no se asigna",
        "fr": "'{value}' n'existe pas comme {field} : non rattaché",
        "ru": "'{value}' нет среди значений «{field}»: не назначено",
        "pt": "'{value}' não existe como {field}: não atribuído",
    },
    "invalid_country": {
        "en": "'{value}' is not a country code; the tenant's region is used",
        "es": "'{value}' no es un código de país; se usa la región de la cuenta",
        "fr": "'{value}' n'est pas un code pays ; la région du compte est utilisée",
        "ru": "'{value}' — не код страны; используется регион аккаунта",
        "pt": "'{value}' não é um código de país; usa-se a região da conta",
    },
    "conflicting_match": {
        "en": "This row matches two different leads ({leads}): merge them first or fix the row",
        "es": "Esta fila coincide con dos leads distintos ({leads}): fusiónelos antes o corrija la fila",
        "fr": "Cette ligne correspond à deux leads différents ({leads}) : fusionnez-les ou corrigez la ligne",
        "ru": "Строка совпадает с двумя разными лидами ({leads}): сначала объедините их или исправьте строку",
        "pt": "Esta linha corresponde a dois leads diferentes ({leads}): mescle-os antes ou corrija a linha",
    },
    "already_exists": {
        "en": "A lead with this email or phone already exists; skipped",
        "es": "Ya existe un lead con este correo o teléfono; se omite",
        "fr": "Un lead avec cet e-mail ou ce téléphone existe déjà ; ignoré",
        "ru": "Лид с такой эл. почтой или телефоном уже есть; пропущено",
        "pt": "Já existe um lead com este e-mail ou telefone; ignorado",
    },
    "not_found": {
        "en": "No lead with this email or phone exists; skipped (update only)",
        "es": "No existe un lead con este correo o teléfono; se omite (solo actualizar)",
        "fr": "Aucun lead avec cet e-mail ou ce téléphone ; ignoré (mise à jour seule)",
        "ru": "Лида с такой эл. почтой или телефоном нет; пропущено (только обновление)",
        "pt": "Não existe lead com este e-mail ou telefone; ignorado (somente atualizar)",
    },
    "chunk_busy": {
        "en": "This row could not be imported: other imports or an outage kept it waiting for {hours} hours; "
              "import the file again",
        "es": "No se pudo importar esta fila: otras importaciones o una caída la tuvieron en espera {hours} horas; "
              "vuelva a importar el archivo",
        "fr": "Cette ligne n'a pas pu être importée : d'autres imports ou une panne l'ont fait attendre {hours} "
              "heures ; importez à nouveau le fichier",
        "ru": "Эту строку не удалось импортировать: другие импорты или сбой задерживали её {hours} ч; "
              "импортируйте файл ещё раз",
        "pt": "Não foi possível importar esta linha: outras importações ou uma falha a deixaram esperando {hours} "
              "horas; importe o arquivo novamente",
    },
    "chunk_failed": {
        "en": "This row could not be imported after {attempts} attempts; import the file again",
        "es": "No se pudo importar esta fila tras {attempts} intentos; vuelva a importar el archivo",
        "fr": "Cette ligne n'a pas pu être importée après {attempts} tentatives ; importez à nouveau le fichier",
        "ru": "Эту строку не удалось импортировать за {attempts} попытки; импортируйте файл ещё раз",
        "pt": "Não foi possível importar esta linha após {attempts} tentativas; importe o arquivo novamente",
    },
    "concurrent_conflict": {
        "en": "Other imports kept changing this lead; import it again",
        "es": "Otras importaciones estaban cambiando este lead; vuelva a importarlo",
        "fr": "D'autres imports modifiaient ce lead ; importez-le à nouveau",
        "ru": "Другие импорты одновременно меняли этот лид; импортируйте его ещё раз",
        "pt": "Outras importações estavam alterando este lead; importe-o novamente",
    },
}

# Short reasons for the email validator's English explanations, by the words they contain
_EMAIL_REASONS: dict[str, dict[str, str]] = {  # tried in order: the most specific words first
    "should have a period": {"en": "the domain after the @ has no ending like .com",
                             "es": "al dominio después de la @ le falta la terminación (.com, .ec…)",
                             "fr": "il manque au domaine après le @ une terminaison (.com, .fr…)",
                             "ru": "у домена после @ нет окончания (.ru, .com…)",
                             "pt": "falta ao domínio depois do @ a terminação (.com, .br…)"},
    "character": {"en": "it contains characters an address cannot have",
                  "es": "contiene caracteres no permitidos", "fr": "il contient des caractères interdits",
                  "ru": "содержит недопустимые символы", "pt": "contém caracteres não permitidos"},
    "too long": {"en": "it is too long", "es": "es demasiado largo", "fr": "elle est trop longue",
                 "ru": "слишком длинный", "pt": "é longo demais"},
    "must have an @-sign": {"en": "it has no @", "es": "le falta la @", "fr": "il manque le @", "ru": "нет символа @",
                            "pt": "falta o @"},
    "@-sign": {"en": "something is missing around the @", "es": "falta algo antes o después de la @",
               "fr": "il manque quelque chose autour du @", "ru": "чего-то не хватает до или после @",
               "pt": "falta algo antes ou depois do @"},
    "after the @": {"en": "the domain after the @ is not valid", "es": "el dominio después de la @ no es válido",
                    "fr": "le domaine après le @ n'est pas valide", "ru": "неверный домен после @",
                    "pt": "o domínio depois do @ não é válido"},
}
_GENERIC_EMAIL_REASON = {"en": "the address is malformed", "es": "la dirección está mal escrita",
                         "fr": "l'adresse est mal formée", "ru": "адрес записан неверно",
                         "pt": "o endereço está malformado"}

_WORDS: dict[str, dict[str, str]] = {
    "for": {"en": " for {region}", "es": " para {region}", "fr": " pour {region}", "ru": " для {region}",
            "pt": " para {region}"},
    "country_hint": {"en": " (write it with its country code, e.g. +593…)",
                     "es": " (escríbalo con el código de país, p. ej. +593…)",
                     "fr": " (écrivez-le avec l'indicatif du pays, p. ex. +33…)",
                     "ru": " (укажите код страны, например +7…)",
                     "pt": " (escreva com o código do país, ex. +55…)"},
    # a row's status as the sheet shows it (write-back)
    "created": {"en": "created", "es": "creado", "fr": "créé", "ru": "создан", "pt": "criado"},
    "updated": {"en": "updated", "es": "actualizado", "fr": "mis à jour", "ru": "обновлён", "pt": "atualizado"},
    "unchanged": {"en": "unchanged", "es": "sin cambios", "fr": "inchangé", "ru": "без изменений",
                  "pt": "sem alterações"},
    "skipped": {"en": "skipped", "es": "omitido", "fr": "ignoré", "ru": "пропущен", "pt": "ignorado"},
    "error": {"en": "error", "es": "error", "fr": "erreur", "ru": "ошибка", "pt": "erro"},
    "warning": {"en": "warning", "es": "aviso", "fr": "avertissement", "ru": "предупреждение", "pt": "aviso"},
    "status_header": {"en": "Lead Import: status", "es": "Lead Import: estado", "fr": "Lead Import : statut",
                      "ru": "Lead Import: статус", "pt": "Lead Import: estado"},
    "lead_id_header": {"en": "Lead Import: lead id", "es": "Lead Import: id del lead", "fr": "Lead Import : id du lead",
                       "ru": "Lead Import: id лида", "pt": "Lead Import: id do lead"},
    "date_example": {"en": "2024-12-31 or 31/12/2024", "es": "31/12/2024", "fr": "31/12/2024", "ru": "31.12.2024",
                     "pt": "31/12/2024"},
}


def render(code: str, locale: str, **params: Any) -> str:
    templates = _TEMPLATES[code]
    return templates.get(locale, templates["en"]).format(**params)


def word(name: str, locale: str, **params: Any) -> str:
    return _WORDS[name].get(locale, _WORDS[name]["en"]).format(**params)


def email_reason(library_message: str, locale: str) -> str:
    if locale == "en":
        return library_message  # the validator's own English explanation is the most precise
    for marker, reasons in _EMAIL_REASONS.items():
        if marker in library_message:
            return reasons.get(locale, reasons["en"])
    return _GENERIC_EMAIL_REASON.get(locale, _GENERIC_EMAIL_REASON["en"])
