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
    "reply_with_fix": {"en": "Fix those rows in the attached file and reply to this email with it: they will be "
                             "imported again.",
                       "es": "Corrija esas filas en el archivo adjunto y responda a este correo con él: se importarán "
                             "de nuevo.",
                       "fr": "Corrigez ces lignes dans le fichier joint et répondez à cet e-mail avec : elles seront "
                             "importées à nouveau.",
                       "ru": "Исправьте эти строки во вложенном файле и ответьте на это письмо, приложив его: они "
                             "будут импортированы снова.",
                       "pt": "Corrija essas linhas no arquivo anexo e responda a este e-mail com ele: elas serão "
                             "importadas de novo."},
    "row": {"en": "Row", "es": "Fila", "fr": "Ligne", "ru": "Строка", "pt": "Linha"},
    "problem": {"en": "Problem", "es": "Problema", "fr": "Problème", "ru": "Проблема", "pt": "Problema"},
    "sheet": {"en": "Open the sheet: each row has its status beside it.",
              "es": "Abrir la hoja: cada fila tiene su estado al lado.",
              "fr": "Ouvrir la feuille : chaque ligne a son statut à côté.",
              "ru": "Открыть лист: у каждой строки рядом её статус.",
              "pt": "Abrir a planilha: cada linha tem seu estado ao lado."},
    "job": {"en": "Job {job}", "es": "Trabajo {job}", "fr": "Tâche {job}", "ru": "Задание {job}",
            "pt": "Tarefa {job}"},
    "greeting": {"en": "Hello,", "es": "Hola:", "fr": "Bonjour,", "ru": "Здравствуйте!", "pt": "Olá,"},
    "refused_too_complex": {
        "en": "We received your email, but it holds more parts, or messages inside messages, than we read. "
              "Attach the files (at most {limit}) directly to a new email and send it again.",
        "es": "Recibimos su correo, pero tiene más partes, o mensajes dentro de mensajes, de las que leemos. "
              "Adjunte los archivos (como máximo {limit}) directamente a un correo nuevo y envíelo de nuevo.",
        "fr": "Nous avons bien reçu votre e-mail, mais il contient plus de parties, ou de messages imbriqués, "
              "que nous n'en lisons. Joignez les fichiers (au plus {limit}) directement à un nouvel e-mail.",
        "ru": "Мы получили ваше письмо, но в нём больше частей или вложенных писем, чем мы читаем. "
              "Приложите файлы (не больше {limit}) прямо к новому письму и отправьте его снова.",
        "pt": "Recebemos seu e-mail, mas ele tem mais partes, ou mensagens dentro de mensagens, do que lemos. "
              "Anexe os arquivos (no máximo {limit}) diretamente a um novo e-mail e envie-o novamente.",
    },
    "refused_too_many_files": {
        "en": "We received your email with {count} files; one email can bring at most {limit}. Nothing was "
              "imported: send them in several emails.",
        "es": "Recibimos su correo con {count} archivos; un correo puede traer como máximo {limit}. No se "
              "importó nada: envíelos en varios correos.",
        "fr": "Nous avons bien reçu votre e-mail avec {count} fichiers ; un e-mail peut en apporter {limit} au "
              "plus. Rien n'a été importé : envoyez-les en plusieurs e-mails.",
        "ru": "Мы получили ваше письмо с {count} файлами; в одном письме может быть не больше {limit}. "
              "Ничего не импортировано: отправьте их несколькими письмами.",
        "pt": "Recebemos seu e-mail com {count} arquivos; um e-mail pode trazer no máximo {limit}. Nada foi "
              "importado: envie-os em vários e-mails.",
    },
    "refused_no_attachment": {
        "en": "We received your email, but it has no file to import. Attach the leads as an Excel (.xlsx, .xls) "
              "or CSV file and send it again.",
        "es": "Recibimos su correo, pero no trae ningún archivo para importar. Adjunte los leads como archivo "
              "Excel (.xlsx, .xls) o CSV y envíelo de nuevo.",
        "fr": "Nous avons bien reçu votre e-mail, mais il ne contient aucun fichier à importer. Joignez les "
              "leads en fichier Excel (.xlsx, .xls) ou CSV et renvoyez-le.",
        "ru": "Мы получили ваше письмо, но в нём нет файла для импорта. Приложите лиды файлом Excel (.xlsx, .xls) "
              "или CSV и отправьте письмо снова.",
        "pt": "Recebemos seu e-mail, mas ele não traz nenhum arquivo para importar. Anexe os leads como arquivo "
              "Excel (.xlsx, .xls) ou CSV e envie de novo."},
    "refused_unsupported": {
        "en": "We cannot import {files}. Send the leads as an Excel (.xlsx, .xls, .ods) or CSV/text file; a PDF, "
              "a Word document, an image or a zip cannot be imported (attach the spreadsheet itself).",
        "es": "No podemos importar {files}. Envíe los leads como archivo Excel (.xlsx, .xls, .ods) o CSV/texto; "
              "un PDF, un documento de Word, una imagen o un zip no se pueden importar (adjunte la hoja de cálculo "
              "misma).",
        "fr": "Nous ne pouvons pas importer {files}. Envoyez les leads en fichier Excel (.xlsx, .xls, .ods) ou "
              "CSV/texte ; un PDF, un document Word, une image ou un zip ne s'importent pas (joignez le tableur "
              "lui-même).",
        "ru": "Мы не можем импортировать {files}. Пришлите лиды файлом Excel (.xlsx, .xls, .ods) или CSV/текстом; "
              "PDF, документ Word, картинку или архив zip импортировать нельзя (приложите саму таблицу).",
        "pt": "Não podemos importar {files}. Envie os leads como arquivo Excel (.xlsx, .xls, .ods) ou CSV/texto; "
              "um PDF, um documento do Word, uma imagem ou um zip não podem ser importados (anexe a própria "
              "planilha)."},
    "refused_too_large": {
        "en": "{file} is {size}; a file sent by email may be at most {limit}. Split it into smaller files, "
              "or import it from Google Sheets with the add-on.",
        "es": "{file} pesa {size}; un archivo enviado por correo puede pesar como máximo {limit}. Divídalo "
              "en archivos más pequeños o impórtelo desde Google Sheets con el complemento.",
        "fr": "{file} fait {size} ; un fichier envoyé par e-mail peut faire au plus {limit}. Découpez-le en "
              "fichiers plus petits ou importez-le depuis Google Sheets avec le module complémentaire.",
        "ru": "{file} весит {size}; файл в письме может весить не больше {limit}. Разделите его на файлы "
              "поменьше или импортируйте из Google Таблиц через дополнение.",
        "pt": "{file} tem {size}; um arquivo enviado por e-mail pode ter no máximo {limit}. Divida-o em "
              "arquivos menores ou importe-o do Google Sheets com o complemento."},
    "refused_not_allowed": {
        "en": "This address does not accept files from {sender}, so nothing was imported. If you should be able "
              "to import leads by email, ask your CRM administrator to add your address to the allowed senders.",
        "es": "Esta dirección no acepta archivos de {sender}, así que no se importó nada. Si usted debería poder "
              "importar leads por correo, pida al administrador de su CRM que agregue su dirección a los "
              "remitentes permitidos.",
        "fr": "Cette adresse n'accepte pas de fichiers de {sender} : rien n'a été importé. Si vous devriez pouvoir "
              "importer des leads par e-mail, demandez à l'administrateur de votre CRM d'ajouter votre adresse "
              "aux expéditeurs autorisés.",
        "ru": "Этот адрес не принимает файлы от {sender}, поэтому ничего не импортировано. Если вы должны иметь "
              "возможность импортировать лиды по почте, попросите администратора CRM добавить ваш адрес в "
              "список разрешённых отправителей.",
        "pt": "Este endereço não aceita arquivos de {sender}, então nada foi importado. Se você deveria poder "
              "importar leads por e-mail, peça ao administrador do seu CRM que adicione seu endereço aos "
              "remetentes permitidos."},
    "refused_bad_options": {
        "en": "Nothing was imported: an option in your email cannot be used ({problem}). Write one option per "
              "line, for example \"mode: create-only\" or \"default source: Fair\", and send it again.",
        "es": "No se importó nada: una opción de su correo no se puede usar ({problem}). Escriba una opción por "
              "línea, por ejemplo \"modo: create-only\" o \"por defecto fuente: Feria\", y envíelo de nuevo.",
        "fr": "Rien n'a été importé : une option de votre e-mail est inutilisable ({problem}). Écrivez une option "
              "par ligne, par exemple \"mode: create-only\" ou \"par défaut source: Salon\", et renvoyez-le.",
        "ru": "Ничего не импортировано: параметр в вашем письме нельзя применить ({problem}). Пишите по одному "
              "параметру в строке, например \"режим: create-only\" или \"по умолчанию источник: Выставка\", и "
              "отправьте письмо снова.",
        "pt": "Nada foi importado: uma opção do seu e-mail não pode ser usada ({problem}). Escreva uma opção por "
              "linha, por exemplo \"modo: create-only\" ou \"padrão origem: Feira\", e envie de novo."},
    "kilobytes": {"en": "{n} KB", "es": "{n} KB", "fr": "{n} Ko", "ru": "{n} КБ", "pt": "{n} KB"},
    "megabytes": {"en": "{n} MB", "es": "{n} MB", "fr": "{n} Mo", "ru": "{n} МБ", "pt": "{n} MB"},
    "automatic": {"en": "This is an automatic answer from Lead Import.",
                  "es": "Esta es una respuesta automática de Lead Import.",
                  "fr": "Ceci est une réponse automatique de Lead Import.",
                  "ru": "Это автоматический ответ Lead Import.",
                  "pt": "Esta é uma resposta automática do Lead Import."},
    "ignored_attachments": {"en": "Also attached, not imported: {files}",
                            "es": "También adjunto, sin importar: {files}",
                            "fr": "Également joint, non importé : {files}",
                            "ru": "Также во вложении, не импортировано: {files}",
                            "pt": "Também anexado, não importado: {files}"},
}


def phrase(name: str, locale: str, **params: Any) -> str:
    texts = _PHRASES[name]
    return texts.get(locale, texts["en"]).format(**params)
