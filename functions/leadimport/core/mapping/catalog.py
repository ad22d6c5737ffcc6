"""The lead fields a column can map to, with the header names people use for each.

Drawn from the seeds' templates (Sperant, the "Importar Clientes" template, 1C:CRM, Sellsy,
beyond up) and the exports of other CRMs. Synonyms are written naturally; matching folds case,
accents, punctuation and spacing. `weak` synonyms are names that usually but not always mean the
field ("title" is a job title in Salesforce and a salutation in Outlook): they lose to a strong one.

The labels people see are in the i18n catalog ("field.<name>"). A label is also a header name the
mapper knows (templates map back): when a label changes there, keep the old one here as a synonym,
so templates downloaded before still map.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from leadimport.i18n.catalog import each_locale, text

Kind = Literal["text", "name", "email", "phone", "date", "money", "picklist", "id", "country", "owner", "labels"]
Locale = Literal["en", "es", "fr", "ru", "pt"]
LOCALES: tuple[Locale, ...] = ("en", "es", "fr", "ru", "pt")


@dataclass(frozen=True)
class FieldSpec:
    name: str
    synonyms: tuple[str, ...]
    weak: tuple[str, ...] = ()
    kind: Kind = "text"
    multi: bool = False  # a cell may hold several values (tags)
    overflow: str | None = None  # where a second column of this kind goes (a second phone)
    import_only: bool = False  # folded into other fields, never stored as itself
    choices: tuple[str, ...] = ()  # picklist values, stored as written here
    group: Literal["person", "company", "both", "opportunity"] = "both"

    def label(self, locale: str = "en") -> str:
        """The label a person sees (template headers, messages): the i18n catalog's "field.<name>"."""
        return text(f"field.{self.name}", locale)

    @property
    def labels(self) -> dict[str, str]:
        """locale → label: the mapper knows every language's label as a header name (templates map back)."""
        return each_locale(f"field.{self.name}")


FULL_NAME = "full_name"  # import-only: split into first_name and last_name
PERSON_TYPES = ("natural", "legal")  # seed 000: Sperant knows only these two

FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("salutation", (  # Cadence's "Civilité" ("denominación" is as often a company's name: not here)
        "salutation", "name prefix", "prefix", "civilité", "civilite", "civ", "tratamiento", "trato",
        "tratamento", "обращение",
    ), group="person"),
    FieldSpec("first_name", (
        "first name", "firstname", "given name", "forename", "first", "person first name",
        "nombres", "primer nombre", "primeiro nome", "prénom", "prenom", "имя",
    ), weak=("nombre", "nome"), kind="name", overflow=FULL_NAME, group="person"),
    FieldSpec("middle_name", (
        "middle name", "additional name", "second name", "segundo nombre", "deuxième prénom", "second prénom",
        "отчество", "nome do meio",
    ), kind="name", group="person"),
    FieldSpec("last_name", (
        "last name", "lastname", "surname", "family name", "last", "person last name",
        "apellido", "apellidos", "primer apellido", "apellido paterno", "sobrenome", "último nome", "apelido",
        "nom de famille", "nom", "фамилия",
    ), kind="name", group="person"),
    FieldSpec("second_last_name", (
        "second last name", "second surname", "mother's maiden name", "segundo apellido", "apellido materno",
        "segundo sobrenome",
    ), kind="name", import_only=True, group="person"),
    FieldSpec(FULL_NAME, (
        "full name", "fullname", "name", "contact name", "contact full name", "lead name", "client name",
        "customer name", "person name", "наименование", "nombre completo", "nombre y apellido", "nombres y apellidos",
        "nombre y apellidos", "nombre del cliente", "nombre del contacto", "apellidos y nombres", "cliente",
        "contacto", "nome completo", "nom complet", "nom et prénom", "prénom et nom", "nom prénom", "prénom nom",
        "фио", "ф.и.о", "имя фамилия", "фамилия имя", "фамилия имя отчество", "полное имя",
        "полное имя контакта", "контактное лицо", "клиент", "контакт",
    ), weak=("person", "contact", "attendee"), kind="name", import_only=True),
    FieldSpec("email", (
        "email", "e-mail", "email address", "e-mail address", "mail", "primary email", "emails", "email 1",
        "correo", "correo electrónico", "correo electronico", "email del cliente", "dirección de correo",
        "dirección de correo electrónico", "endereço de e-mail", "courriel", "adresse e-mail", "adresse email",
        "adresse mail", "adresse électronique", "электронная почта", "эл. почта", "эл почта", "почта", "емейл",
        "имейл", "e-mail адрес",
    ), kind="email", overflow="email_2"),
    FieldSpec("email_2", (
        "email 2", "e-mail 2", "e-mail 2 address", "other email", "secondary email", "personal email",
        "home email", "correo 2", "otro correo", "correo alternativo", "autre e-mail", "email 2 - value",
        "другой email", "личный email", "частный e-mail",
    ), kind="email"),
    FieldSpec("phone", (
        "phone", "phone number", "mobile", "mobile phone", "mobile number", "mobile phone number", "cell",
        "cell phone", "cellphone", "telephone", "tel", "primary phone", "phones", "whatsapp", "sms", "work number",
        "teléfono", "telefono", "celular", "cel", "móvil", "movil", "número de teléfono", "numero de telefono",
        "número de celular", "número de contacto", "numero de contacto", "teléfono móvil", "telefone",
        "telemóvel", "whatsapp number", "téléphone", "telephone portable", "portable", "mobile pro",
        "numéro de téléphone", "numéro de mobile", "телефон", "мобильный телефон", "мобильный", "сотовый",
        "номер телефона", "тел",
    ), kind="phone", overflow="phone_2"),
    FieldSpec("phone_2", (
        "phone 2", "other phone", "secondary phone", "landline", "landline number", "phone 2 value",
        "teléfono 2", "otro teléfono", "teléfono fijo", "telefono fijo", "fijo", "telefone fixo",
        "téléphone fixe", "autre téléphone", "телефон 2", "другой телефон",
    ), weak=("home phone", "домашний телефон", "teléfono de casa"), kind="phone"),
    FieldSpec("company", (
        "company", "company name", "organization", "organisation", "organization name", "account name",
        "business name", "employer", "empresa", "nombre de la empresa", "compañía", "compania", "razón social",
        "razon social", "organización", "société", "societe", "entreprise", "nom de l'entreprise",
        "raison sociale", "компания", "организация", "название компании", "компания контакта",
        "наименование организации", "organização",
    ), weak=("account", "business"), group="company"),
    FieldSpec("job_title", (
        "job title", "position", "job position", "occupation", "organization title", "cargo", "puesto",
        "puesto de trabajo", "cargo profesional", "poste", "fonction", "intitulé du poste", "должность",
    ), weak=("title", "role", "título", "titre"), group="person"),
    FieldSpec("person_type", (
        "person type", "type of person", "client type", "customer type", "tipo de persona", "tipo persona",
        "tipo de cliente", "type de personne", "type de client", "тип лица", "вид лица", "tipo de pessoa",
    ), kind="picklist", choices=PERSON_TYPES),
    FieldSpec("id_type", (
        "identification type", "id type", "document type", "tipo de documento", "tipo documento",
        "tipo doc", "tipo de identificación", "tipo de identificacion", "type de pièce", "type de document",
        "тип документа", "вид документа",
    ), kind="picklist"),
    FieldSpec("id_number", (
        "identification number", "id number", "document number", "national id", "tax id", "vat number",
        "número de documento", "numero de documento", "nro documento", "nro. documento", "n° documento",
        "número de identificación", "numero de identificacion", "identificación", "documento",
        "documento de identidad", "dni", "cédula", "cedula", "ruc", "rut", "nif", "cif", "nie", "cpf", "cnpj",
        "nit", "curp", "rfc", "cuit", "siret", "siren", "numéro de pièce", "numéro siret", "номер документа",
        "инн",
    ), kind="id"),
    FieldSpec("address", (
        "address", "street", "street address", "mailing street", "address 1 street", "address line 1",
        "business street", "dirección", "direccion", "domicilio", "calle",
        "endereço", "logradouro", "adresse", "rue", "адрес", "улица", "фактический адрес",
    ), weak=("home street",)),
    FieldSpec("address_details", (  # seed 001's "Description": of the place or the address
        "address details", "address description", "address line 2", "address 2", "mailing address line2",
        "address 1 extended address", "extended address", "referencia", "referencia de la dirección",
        "referencia de la direccion", "descripción de la dirección", "descripcion de la direccion",
        "complemento", "complément d'adresse", "complement d'adresse", "дополнение к адресу", "ориентир",
    )),
    FieldSpec("city", (
        "city", "town", "mailing city", "address 1 city", "business city", "ciudad", "localidad", "municipio",
        "población", "poblacion", "distrito", "cidade", "ville", "commune", "город", "населенный пункт",
    ), weak=("home city",)),
    FieldSpec("state", (
        "state", "province", "region", "state/province", "state/region", "state or province", "mailing state",
        "address 1 region", "business state", "estado", "provincia", "departamento", "región",
        "estado/región", "estado o provincia", "état", "état/région", "département", "область", "регион",
        "край", "uf",
    ), weak=("home state",)),
    FieldSpec("zip_code", (
        "zip code", "zip", "zipcode", "postal code", "postcode", "zip/postal code", "mailing zip/postal code",
        "address 1 postal code", "business postal code", "código postal", "codigo postal", "cp", "cep",
        "code postal", "почтовый индекс", "индекс",
    ), weak=("home postal code",)),
    FieldSpec("country_code", (
        "country code", "country", "country/region", "mailing country", "address 1 country",
        "business country/region", "código de país", "codigo de pais", "país", "pais", "país/región",
        "code pays", "pays", "pays/région", "страна", "код страны",
    ), weak=("home country/region",), kind="country"),
    FieldSpec("website", (
        "website", "website url", "web site", "web page", "web", "site", "homepage", "sitio web",
        "página web", "pagina web", "site web", "site internet", "сайт", "веб-сайт",
    ), group="company"),
    FieldSpec("birth_date", (
        "birth date", "birthdate", "birthday", "date of birth", "dob", "fecha de nacimiento", "cumpleaños",
        "date de naissance", "дата рождения", "день рождения", "data de nascimento", "aniversário",
    ), kind="date", group="person"),
    FieldSpec("gender", (
        "gender", "sex", "género", "genero", "sexo", "genre", "sexe", "пол", "gênero",
    ), kind="picklist", choices=("female", "male", "other"), group="person"),
    FieldSpec("tags", (
        "tags", "tag", "labels", "label", "group membership", "categories", "categorías", "catégories",
        "категории", "etiquetas", "etiqueta", "étiquettes",
        "étiquette", "marcadores", "теги", "тег", "метки", "метка",
    ), kind="labels", multi=True),
    FieldSpec("source", (
        "source", "lead source", "original source", "contact source", "fuente original",
        "fuente de posible cliente", "origem da primeira conversão", "medio de captación",
        "medio de captacion", "fuente", "fuente de captación", "fuente de captacion", "origen",
        "origen del candidato", "origem", "origem do lead", "source du lead", "origine", "источник",
        "источник лида", "portal",
    ), kind="labels"),
    FieldSpec("channel", (
        "channel", "canal", "canal de entrada", "medium", "medio", "канал", "канал привлечения",
    ), kind="labels"),
    FieldSpec("segment", (
        "segment", "group", "list", "segmento", "grupo", "lista", "groupe", "liste", "сегмент", "группа",
    ), kind="labels"),
    FieldSpec("interest_level", (
        "interest level", "interest", "rating", "lead rating", "temperature", "nivel de interés",
        "nivel de interes", "interés", "calificación", "niveau d'intérêt", "intérêt", "уровень интереса",
        "интерес", "nível de interesse", "temperatura",
    ), kind="labels"),
    FieldSpec("project", (  # Sperant's "Proyecto": the development the lead asked about
        "project", "proyecto", "proyecto de interés", "proyecto de interes", "projet", "projeto", "проект",
        "объект",
    ), kind="labels"),
    FieldSpec("source_created_at", (  # Cadence's "Date de création": the source's own date, never ours
        "date de création", "date de creation", "created", "created date", "date created", "creation date",
        "create date", "created time", "created at", "created on", "person created", "fecha de creación",
        "fecha de creacion", "fecha de alta", "fecha de registro", "data de criação", "data de criacao",
        "data de cadastro", "дата создания", "дата добавления",
    ), kind="date"),
    FieldSpec("owner", (
        "owner", "lead owner", "contact owner", "responsible", "responsible person",
        "propietario de posible cliente", "record owner", "owned by", "agent", "assigned to", "sales rep",
        "salesperson", "account manager", "responsable", "propietario", "propietario del contacto",
        "propietario del candidato", "agente", "asesor", "vendedor", "ejecutivo", "ejecutivo comercial",
        "comercial", "usuario asignado", "usuario", "propriétaire", "propriétaire du contact",
        "propriétaire du lead", "responsável", "dono do lead", "proprietário", "ответственный", "менеджер",
        "основной менеджер", "владелец", "ответственный менеджер",
    ), weak=("user",), kind="owner"),
    FieldSpec("notes", (
        "notes", "note", "comments", "comment", "remarks", "message", "notas", "nota", "comentarios",
        "comentario", "observaciones", "observación", "obs", "mensaje", "observações", "remarques",
        "commentaire", "commentaires", "message", "примечание", "примечания", "комментарий", "заметки",
        "сообщение",
    ), weak=("description", "descripción", "descricao", "описание"), group="both"),
    FieldSpec("opportunity_subject", (
        "opportunity", "opportunity name", "opportunity subject", "deal title", "deal name",
        "oportunidad", "asunto", "nombre de la oportunidad", "opportunité", "sujet", "тема", "тема интереса",
        "oportunidade", "negócio",
    ), weak=("subject",), group="opportunity"),
    FieldSpec("opportunity_date", (
        "opportunity date", "deal date", "fecha de la oportunidad", "date de l'opportunité", "дата интереса",
        "дата регистрации", "дата",
    ), kind="date", group="opportunity"),
    FieldSpec("expected_revenue", (
        "expected revenue", "deal value", "amount", "deal amount", "ingreso esperado", "monto",
        "importe", "valor", "revenu attendu", "montant", "ожидаемая выручка", "сумма", "бюджет",
        "receita esperada",
    ), weak=("value",), kind="money", group="opportunity"),
    FieldSpec("opportunity_description", (
        "opportunity description", "deal description", "descripción de la oportunidad",
        "description de l'opportunité", "описание интереса", "содержание",
    ), weak=("описание",), group="opportunity"),
    FieldSpec("next_activity", (
        "next activity", "next step", "planned activity", "próxima actividad", "proxima actividad",
        "siguiente paso", "prochaine activité", "prochaine étape", "запланированная активность",
        "следующий шаг", "próxima atividade",
    ), group="opportunity"),
    FieldSpec("next_activity_date", (
        "next activity date", "next step date", "fecha de la próxima actividad", "fecha próxima actividad",
        "date de la prochaine activité", "дата активности", "data da próxima atividade",
    ), kind="date", group="opportunity"),
)

BY_NAME = {spec.name: spec for spec in FIELDS}
FIELD_NAMES = frozenset(BY_NAME)
OPPORTUNITY_FIELDS = tuple(spec.name for spec in FIELDS if spec.group == "opportunity")


def key_label(kind: str, locale: str) -> str:
    """A match key's kind as the person reads it: 'name' is the full name's label ('' for none)."""
    field = FULL_NAME if kind == "name" else kind
    return BY_NAME[field].label(locale) if field in BY_NAME else kind


def is_known_field(name: str) -> bool:
    return name in FIELD_NAMES or (name.startswith("custom.") and len(name) > len("custom."))


@dataclass(frozen=True)
class Template:
    """The columns of a downloadable import template (seed 004: person or company)."""

    kind: Literal["person", "company"]
    fields: tuple[str, ...]
    required: tuple[str, ...]
    one_of: tuple[str, ...] = field(default=("email", "phone"))  # at least one of these per row


TEMPLATES = {
    "person": Template("person", (
        "first_name", "last_name", "email", "phone", "person_type", "id_type", "id_number", "company", "job_title",
        "address", "city", "state", "zip_code", "country_code", "tags", "source", "channel", "segment",
        "interest_level", "owner", "notes",
    ), required=("first_name", "last_name")),
    "company": Template("company", (
        "company", "person_type", "id_type", "id_number", "email", "phone", "website", "first_name", "last_name",
        "job_title",
        "address", "city", "state", "zip_code", "country_code", "tags", "source", "channel", "segment",
        "interest_level", "owner", "notes",
    ), required=("company",)),
}
