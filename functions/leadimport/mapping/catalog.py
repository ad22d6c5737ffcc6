"""The lead fields a column can map to, with the header names people use for each.

Synonyms are written naturally; matching folds case, accents, punctuation and spacing.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    synonyms: tuple[str, ...]
    multi: bool = False  # a cell may hold several values (tags)


FULL_NAME = "full_name"  # import-only: split into first_name and last_name

FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("first_name", "First name", (
        "first name", "firstname", "given name", "forename", "first",
        "nombre", "nombres", "primer nombre", "nome", "primeiro nome", "prénom", "prenom",
        "имя",
    )),
    FieldSpec("last_name", "Last name", (
        "last name", "lastname", "surname", "family name", "last",
        "apellido", "apellidos", "primer apellido", "sobrenome", "último nome", "apelido",
        "nom de famille", "nom", "фамилия",
    )),
    FieldSpec(FULL_NAME, "Full name", (
        "full name", "fullname", "name", "contact name", "contact", "lead name", "client name",
        "customer name", "person", "nombre completo", "nombre y apellido", "nombres y apellidos",
        "nombre del cliente", "cliente", "contacto", "nome completo", "nom complet", "nom et prénom",
        "prénom et nom", "фио", "ф.и.о", "имя фамилия", "фамилия имя отчество", "полное имя",
        "наименование", "клиент", "контакт",
    )),
    FieldSpec("email", "Email", (
        "email", "e-mail", "email address", "e-mail address", "mail", "primary email", "work email",
        "correo", "correo electrónico", "correo electronico", "email del cliente", "e-mail 1 - value",
        "endereço de e-mail", "courriel", "adresse e-mail", "adresse email", "adresse mail",
        "электронная почта", "эл. почта", "эл почта", "почта", "емейл", "имейл",
    )),
    FieldSpec("phone", "Phone", (
        "phone", "phone number", "mobile", "mobile phone", "cell", "cell phone", "cellphone",
        "telephone", "tel", "primary phone", "work phone", "phone 1 - value", "whatsapp",
        "teléfono", "telefono", "celular", "móvil", "movil", "número de teléfono", "numero de telefono",
        "número de contacto", "numero de contacto", "teléfono móvil", "telefone", "telemóvel",
        "téléphone", "telephone portable", "portable", "numéro de téléphone", "mobile phone number",
        "телефон", "мобильный телефон", "мобильный", "сотовый", "номер телефона", "тел",
    )),
    FieldSpec("company", "Company", (
        "company", "company name", "organization", "organisation", "account", "account name",
        "business", "empresa", "compañía", "compania", "razón social", "razon social",
        "organización", "société", "societe", "entreprise", "raison sociale",
        "компания", "организация", "название компании",
    )),
    FieldSpec("job_title", "Job title", (
        "job title", "title", "position", "role", "cargo", "puesto", "título", "cargo profesional",
        "poste", "fonction", "titre", "должность",
    )),
    FieldSpec("person_type", "Person type", (
        "person type", "type of person", "tipo de persona", "tipo persona", "type de personne",
        "тип лица",
    )),
    FieldSpec("id_type", "ID type", (
        "identification type", "id type", "document type", "tipo de documento", "tipo documento",
        "tipo de identificación", "tipo de identificacion", "type de pièce", "type de document",
        "тип документа",
    )),
    FieldSpec("id_number", "ID number", (
        "identification number", "id number", "document number", "número de documento",
        "numero de documento", "nro documento", "número de identificación", "numero de identificacion",
        "dni", "cédula", "cedula", "ruc", "rut", "nif", "cif", "documento", "numéro de pièce",
        "номер документа", "инн",
    )),
    FieldSpec("address", "Address", (
        "address", "street", "street address", "mailing street", "address 1 - street", "dirección",
        "direccion", "domicilio", "endereço", "adresse", "rue", "адрес", "улица",
    )),
    FieldSpec("city", "City", (
        "city", "town", "mailing city", "address 1 - city", "ciudad", "localidad", "municipio",
        "cidade", "ville", "город",
    )),
    FieldSpec("state", "State", (
        "state", "province", "region", "state/province", "mailing state", "address 1 - region",
        "estado", "provincia", "departamento", "región", "état", "département", "область", "регион",
    )),
    FieldSpec("zip_code", "Zip code", (
        "zip code", "zip", "postal code", "postcode", "mailing zip", "address 1 - postal code",
        "código postal", "codigo postal", "cp", "cep", "code postal", "почтовый индекс", "индекс",
    )),
    FieldSpec("country_code", "Country", (
        "country code", "country", "mailing country", "address 1 - country", "código de país",
        "codigo de pais", "país", "pais", "code pays", "pays", "страна", "код страны",
    )),
    FieldSpec("tags", "Tags", (
        "tags", "tag", "labels", "label", "etiquetas", "etiqueta", "étiquettes", "étiquette",
        "marcadores", "теги", "тег", "метки", "метка",
    ), multi=True),
    FieldSpec("source", "Source", (
        "source", "lead source", "medio de captación", "medio de captacion", "fuente",
        "fuente de captación", "origen", "origem", "источник",
    )),
    FieldSpec("channel", "Channel", (
        "channel", "canal", "canal de entrada", "канал",
    )),
    FieldSpec("segment", "Segment", (
        "segment", "group", "segmento", "grupo", "groupe", "сегмент", "группа",
    )),
    FieldSpec("interest_level", "Interest level", (
        "interest level", "interest", "nivel de interés", "nivel de interes", "interés",
        "niveau d'intérêt", "уровень интереса",
    )),
    FieldSpec("owner", "Owner", (
        "owner", "lead owner", "contact owner", "agent", "assigned to", "sales rep", "salesperson",
        "user", "responsable", "propietario", "agente", "asesor", "vendedor", "ejecutivo",
        "usuario asignado", "propriétaire", "propriétaire du lead", "commercial", "ответственный",
        "менеджер", "основной менеджер", "владелец",
    )),
    FieldSpec("notes", "Notes", (
        "notes", "note", "comments", "comment", "description", "remarks", "notas", "nota",
        "comentarios", "comentario", "observaciones", "descripción", "observações", "remarques",
        "commentaire", "commentaires", "примечание", "комментарий", "заметки",
    )),
)

FIELD_NAMES = frozenset(spec.name for spec in FIELDS)
BY_NAME = {spec.name: spec for spec in FIELDS}


def is_known_field(name: str) -> bool:
    return name in FIELD_NAMES or (name.startswith("custom.") and len(name) > len("custom."))
