"""The one translation catalog: every id in every language, non-empty, not fuzzy, with the same
placeholders; and the loader's fallbacks to English."""

from __future__ import annotations

import shutil
import string
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from leadimport.i18n import catalog
from leadimport.i18n.catalog import LOCALES

PO = {lang: catalog.LOCALES_DIR / lang / "LC_MESSAGES" / "leadimport.po" for lang in LOCALES}
ELSEWHERE = ("de", "pt-BR", "", None)  # languages we do not have: English, as before


def _read(lang: str):
    with PO[lang].open("rb") as f:
        return read_po(f, locale=lang, domain="leadimport")


CATALOGS = {lang: _read(lang) for lang in LOCALES}
ENGLISH = {(m.context, m.id): m.string for m in CATALOGS["en"] if m.id}


def _fields(text: str) -> list[str]:
    return sorted(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)



# ---------------------------------------------------------------- part 1: the catalog itself


@pytest.mark.parametrize("lang", LOCALES)
def test_every_id_is_in_every_language_non_empty_and_not_fuzzy(lang: str) -> None:
    messages = [m for m in CATALOGS[lang] if m.id]
    ids = {(m.context, m.id) for m in messages}
    assert ids == set(ENGLISH), f"missing {set(ENGLISH) - ids}, unknown {ids - set(ENGLISH)}"
    assert len(ids) == len(messages), "an id twice"
    assert all(m.context for m in messages), "every id has its domain as msgctxt"
    assert [(m.context, m.id) for m in messages if not m.string.strip()] == []
    assert [(m.context, m.id) for m in messages if m.fuzzy] == []
    assert not CATALOGS[lang].obsolete


@pytest.mark.parametrize("lang", LOCALES)
def test_placeholders_are_the_same_in_every_language(lang: str) -> None:
    for m in CATALOGS[lang]:
        if m.id:
            assert _fields(m.string) == _fields(ENGLISH[m.context, m.id]), (m.context, m.id)
            if not _fields(m.string):  # format() without arguments must give the text back unchanged
                assert "{" not in m.string and "}" not in m.string, (m.context, m.id)


def test_the_template_lists_the_same_ids() -> None:
    with (catalog.LOCALES_DIR / "leadimport.pot").open("rb") as f:
        pot = read_po(f)
    assert {(m.context, m.id) for m in pot if m.id} == set(ENGLISH)


def test_the_loader_falls_back_to_english(tmp_path: Path) -> None:
    shutil.copytree(catalog.LOCALES_DIR, tmp_path, dirs_exist_ok=True)
    fr = tmp_path / "fr" / "LC_MESSAGES" / "leadimport.po"
    with fr.open("rb") as f:
        po = read_po(f, locale="fr")
    po.delete("no_key", context="row")  # missing
    po.get("invalid_date", context="row").string = ""  # empty
    po.get("rows_read", context="mail").flags.add("fuzzy")  # fuzzy
    with fr.open("wb") as f:
        write_po(f, po)
    texts = catalog.load(tmp_path)
    assert texts["fr"]["row.no_key"] == texts["en"]["row.no_key"]
    assert texts["fr"]["row.invalid_date"] == texts["en"]["row.invalid_date"]
    assert texts["fr"]["mail.rows_read"] == "Rows read"
    assert texts["fr"]["common.row"] == "Ligne"  # the rest as it was


def test_unknown_ids_and_languages() -> None:
    with pytest.raises(KeyError):
        catalog.text("row.no_such_code", "es")
    assert catalog.text("mail.title", "de", file="x") == "Import of x"
    assert catalog.text("mail.title", None, file="x") == "Import of x"
    assert catalog.ids("template") == ["template." + k for k in
                                       ("legend_title", "required", "one_of", "optional", "example_row")]
