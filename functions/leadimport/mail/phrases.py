"""The report email's own words in each tenant language (row messages come from messages.py)."""

from __future__ import annotations

from typing import Any

_PHRASES: dict[str, dict[str, str]] = {
    "subject_failed": {"en": "Lead import failed: {file}", "es": "La importación de leads falló: {file}",
                       "fr": "L'import de leads a échoué : {file}", "ru": "Импорт лидов не выполнен: {file}",
                       "pt": "A importação de leads falhou: {file}"},
    "subject_done": {"en": "Lead import finished: {file} — {created} created, {updated} updated, {errors} not imported",
                     "es": "Importación de leads terminada: {file} — {created} creados, {updated} actualizados, "
                           "{errors} sin importar",
                     "fr": "Import de leads terminé : {file} — {created} créés, {updated} mis à jour, "
                           "{errors} non importés",
                     "ru": "Импорт лидов завершён: {file} — создано {created}, обновлено {updated}, "
                           "не импортировано {errors}",
                     "pt": "Importação de leads concluída: {file} — {created} criados, {updated} atualizados, "
                           "{errors} não importados"},
    "title": {"en": "Import of {file}", "es": "Importación de {file}", "fr": "Import de {file}",
              "ru": "Импорт {file}", "pt": "Importação de {file}"},
    "failed": {"en": "The file could not be imported:", "es": "No se pudo importar el archivo:",
               "fr": "Le fichier n'a pas pu être importé :", "ru": "Файл не удалось импортировать:",
               "pt": "Não foi possível importar o arquivo:"},
    "rows_read": {"en": "Rows read", "es": "Filas leídas", "fr": "Lignes lues", "ru": "Прочитано строк",
                  "pt": "Linhas lidas"},
    "created": {"en": "created", "es": "creados", "fr": "créés", "ru": "создано", "pt": "criados"},
    "updated": {"en": "updated", "es": "actualizados", "fr": "mis à jour", "ru": "обновлено", "pt": "atualizados"},
    "unchanged": {"en": "unchanged", "es": "sin cambios", "fr": "inchangés", "ru": "без изменений",
                  "pt": "sem alterações"},
    "skipped": {"en": "skipped", "es": "omitidos", "fr": "ignorés", "ru": "пропущено", "pt": "ignorados"},
    "errors": {"en": "not imported", "es": "sin importar", "fr": "non importés", "ru": "не импортировано",
               "pt": "não importados"},
    "note": {"en": "Note", "es": "Nota", "fr": "Remarque", "ru": "Примечание", "pt": "Nota"},
    "not_imported": {"en": "Rows not imported", "es": "Filas no importadas", "fr": "Lignes non importées",
                     "ru": "Неимпортированные строки", "pt": "Linhas não importadas"},
    "listed": {"en": "The attached file lists every row that was not imported, with its cells, ready to fix and "
                     "send again.",
               "es": "El archivo adjunto tiene cada fila que no se importó, con sus celdas, lista para corregir y "
                     "enviar de nuevo.",
               "fr": "Le fichier joint contient chaque ligne non importée, avec ses cellules, prête à corriger et "
                     "à renvoyer.",
               "ru": "Во вложении — все неимпортированные строки с их ячейками: исправьте и отправьте снова.",
               "pt": "O arquivo anexo traz cada linha não importada, com suas células, pronta para corrigir e "
                     "enviar de novo."},
    "row": {"en": "Row", "es": "Fila", "fr": "Ligne", "ru": "Строка", "pt": "Linha"},
    "problem": {"en": "Problem", "es": "Problema", "fr": "Problème", "ru": "Проблема", "pt": "Problema"},
    "sheet": {"en": "Open the sheet: each row has its status beside it.",
              "es": "Abrir la hoja: cada fila tiene su estado al lado.",
              "fr": "Ouvrir la feuille : chaque ligne a son statut à côté.",
              "ru": "Открыть лист: у каждой строки рядом её статус.",
              "pt": "Abrir a planilha: cada linha tem seu estado ao lado."},
    "job": {"en": "Job {job}", "es": "Trabajo {job}", "fr": "Tâche {job}", "ru": "Задание {job}",
            "pt": "Tarefa {job}"},
}


def phrase(name: str, locale: str, **params: Any) -> str:
    texts = _PHRASES[name]
    return texts.get(locale, texts["en"]).format(**params)
