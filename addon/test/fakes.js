/**
 * Fakes of the Apps Script services the add-on uses (SpreadsheetApp, UrlFetchApp, ScriptApp,
 * PropertiesService, HtmlService, Session, Utilities), and a loader that runs the add-on's files
 * in one V8 context, as Apps Script does (no modules: every file shares the global scope).
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const SRC = path.join(__dirname, '..', 'src');

class FakeRange {
  constructor(sheet, row, column, rows, columns) {
    Object.assign(this, { sheet, row, column, rows, columns });
    sheet.reads.push([row, column, rows, columns]);
  }

  getValues() {
    const values = [];
    for (let r = 0; r < this.rows; r++) {
      const source = this.sheet.values[this.row - 1 + r] || [];
      const line = [];
      for (let c = 0; c < this.columns; c++) {
        const value = source[this.column - 1 + c];
        line.push(value === undefined || value === null ? '' : value);
      }
      values.push(line);
    }
    return values;
  }
}

class FakeSheet {
  constructor(id, name, values) {
    Object.assign(this, { id, name, values, reads: [] });
  }

  getSheetId() { return this.id; }
  addDeveloperMetadata(key, value, visibility) {
    this.metadata = this.metadata || [];
    this.metadataIds = (this.metadataIds || 0) + 1;
    this.metadata.push({ id: this.metadataIds, key, value, visibility });
  }
  getDeveloperMetadata() {
    return (this.metadata || []).map((m) => ({ getId: () => m.id, getKey: () => m.key,
      remove: () => { this.metadata = this.metadata.filter((kept) => kept !== m); } }));
  }
  getName() { return this.name; }
  getLastRow() {
    let last = this.values.length;
    while (last > 0 && !this.values[last - 1].some((v) => v !== '' && v !== null && v !== undefined)) last--;
    return last;
  }
  getLastColumn() { return Math.max(0, ...this.values.map((row) => {
    let last = row.length;
    while (last > 0 && (row[last - 1] === '' || row[last - 1] === null || row[last - 1] === undefined)) last--;
    return last;
  })); }
  getRange(row, column, rows, columns) {
    if (row < 1 || column < 1 || rows < 1 || columns < 1) throw new Error('The coordinates of the range are outside the dimensions of the sheet.');
    return new FakeRange(this, row, column, rows, columns);
  }
}

class FakeSpreadsheet {
  constructor(sheets, options = {}) {
    Object.assign(this, { sheets, active: sheets[0], editors: options.editors || ['ana@inmosol.ec'], added: [] });
  }

  getSheets() { return this.sheets; }
  getActiveSheet() { return this.active; }
  getName() { return 'Feria 2026'; }
  getId() { return '1AbCdEfGhIjKlMnOpQrStUvWxYz'; }
  getUrl() { return 'https://docs.google.com/spreadsheets/d/1AbCdEfGhIjKlMnOpQrStUvWxYz/edit'; }
  getSpreadsheetTimeZone() { return 'America/Guayaquil'; }
  getEditors() { return this.editors.map((email) => ({ getEmail: () => email })); }
  addEditor(email) { this.added.push(email); this.editors.push(email); return this; }
}

/** UrlFetchApp that records each request and answers with `respond(url, params)` → {code, body}. */
function fakeUrlFetch(respond) {
  const requests = [];
  return {
    requests,
    fetch(url, params) {
      requests.push({ url, params });
      const { code, body } = respond(url, params);
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      return { getResponseCode: () => code, getContentText: () => text };
    },
  };
}

/** Apps Script's printing scriptlets `<?!= include_('Name'); ?>`, the only ones the add-on's templates use. */
function renderTemplate(source, include) {
  const rest = source.replace(/<\?!=\s*include_\('([A-Za-z]+)'\);?\s*\?>/g, (_, name) => include(name));
  if (rest.includes('<?')) throw new Error('a scriptlet this test double does not render');
  return rest;
}

/** A page as HtmlService serves it: the template evaluated from src/. */
function renderPage(name) {
  const read = (file) => fs.readFileSync(path.join(SRC, file + '.html'), 'utf8');
  return renderTemplate(read(name), read);
}

function load({ spreadsheet, respond, properties = { BACKEND_URL: 'https://functions.test/' }, locale = 'es_EC' }) {
  const ui = { menus: [], sidebars: [] };
  const urlFetch = fakeUrlFetch(respond || (() => ({ code: 404, body: '' })));
  const sleeps = [];
  const context = {
    console,
    SpreadsheetApp: {
      DeveloperMetadataVisibility: { DOCUMENT: 'DOCUMENT', PROJECT: 'PROJECT' },
      getActiveSpreadsheet: () => spreadsheet,
      getUi: () => ({
        createAddonMenu: () => {
          const menu = { items: [], addItem(label, fn) { this.items.push([label, fn]); return this; },
            addToUi() { ui.menus.push(this); } };
          return menu;
        },
        showSidebar: (html) => ui.sidebars.push(html),
      }),
    },
    UrlFetchApp: urlFetch,
    ScriptApp: { getIdentityToken: () => 'id-token-of-ana' },
    PropertiesService: { getScriptProperties: () => ({ getProperty: (key) => properties[key] || null }) },
    HtmlService: {
      createHtmlOutputFromFile: (name) => {
        const content = fs.readFileSync(path.join(SRC, name + '.html'), 'utf8');
        return { file: name, title: null, getContent: () => content, setTitle(title) { this.title = title; return this; } };
      },
      // Apps Script's templates, as far as the add-on uses them: printing scriptlets that call include_()
      createTemplateFromFile: (name) => ({
        evaluate: () => {
          const source = fs.readFileSync(path.join(SRC, name + '.html'), 'utf8');
          const content = renderTemplate(source, (file) => context.include_(file));
          return { file: name, title: null, getContent: () => content, setTitle(title) { this.title = title; return this; } };
        },
      }),
    },
    Session: { getActiveUserLocale: () => locale },
    Utilities: {
      sleep: (ms) => sleeps.push(ms),
      formatDate: (date, tz, pattern) => {
        const pad = (n) => String(n).padStart(2, '0');
        const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
        return pattern === 'yyyy-MM-dd' ? day : `${day} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
      },
      newBlob: (text, type) => ({ getBytes: () => Buffer.from(text, 'utf8'), getContentType: () => type }),
    },
  };
  vm.createContext(context);
  for (const file of fs.readdirSync(SRC).filter((f) => f.endsWith('.js')).sort()) {
    vm.runInContext(fs.readFileSync(path.join(SRC, file), 'utf8'), context, { filename: file });
  }
  return { addon: context, ui, urlFetch, sleeps };
}

module.exports = { FakeSheet, FakeSpreadsheet, load, renderPage };
