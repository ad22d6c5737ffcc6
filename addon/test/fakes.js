/**
 * Fakes of the Apps Script services the add-on uses (SpreadsheetApp, UrlFetchApp, ScriptApp,
 * HtmlService, Session, Utilities), and a loader that runs the add-on's files
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

  cells(read) {
    const values = [];
    for (let r = 0; r < this.rows; r++) {
      const line = [];
      for (let c = 0; c < this.columns; c++) line.push(read(this.row + r, this.column + c));
      values.push(line);
    }
    return values;
  }

  getValues() { return this.cells((r, c) => this.sheet.value(r, c)); }
  setValues(values) {
    values.forEach((line, r) => line.forEach((value, c) => {
      const row = this.row + r;
      while (this.sheet.values.length < row) this.sheet.values.push([]);
      this.sheet.values[row - 1][this.column + c - 1] = value;
    }));
  }
  getDisplayValues() { return this.cells((r, c) => this.sheet.shown(r, c)); }
  getFormulas() { return this.cells((r, c) => this.sheet.formulas[r + ':' + c] || ''); }
  getRow() { return this.row; }
  getColumn() { return this.column; }
  getLastRow() { return this.row + this.rows - 1; }
  getLastColumn() { return this.column + this.columns - 1; }

  /** The merged ranges that overlap this one, as Range.getMergedRanges() gives them. */
  getMergedRanges() {
    return this.sheet.merges.filter(([r, c, rows, cols]) => r <= this.getLastRow() && r + rows - 1 >= this.row
      && c <= this.getLastColumn() && c + cols - 1 >= this.column)
      .map(([r, c, rows, cols]) => new FakeRange(this.sheet, r, c, rows, cols));
  }
}

/**
 * A tab. `values` are what getValues gives (numbers, Dates, text; a failed formula's cell holds its error
 * text, "#N/A"); `extras` hold what only some cells have: `display` (the text shown, by "row:column", else
 * the value as text), `formulas`, `merges` ([row, column, rows, columns]) and `hidden` / `filtered` rows.
 */
class FakeSheet {
  constructor(id, name, values, extras = {}) {
    Object.assign(this, { id, name, values, reads: [], display: extras.display || {}, formulas: extras.formulas || {},
      merges: extras.merges || [], hidden: new Set(extras.hidden || []), filtered: new Set(extras.filtered || []) });
  }

  value(row, column) {
    const value = (this.values[row - 1] || [])[column - 1];
    return value === undefined || value === null ? '' : value;
  }

  shown(row, column) {
    const key = row + ':' + column;
    return key in this.display ? this.display[key] : String(this.value(row, column));
  }

  /** Range lists by A1 cells ("E7"), as the add-on uses them: one value into each cell. */
  getRangeList(cells) {
    return {
      setValue: (value) => cells.forEach((a1) => {
        const [, letters, row] = a1.match(/^([A-Z]+)(\d+)$/);
        const column = [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
        while (this.values.length < Number(row)) this.values.push([]);
        this.values[Number(row) - 1][column - 1] = value;
      }),
    };
  }

  isRowHiddenByUser(row) { return this.hidden.has(row); }
  isRowHiddenByFilter(row) { return this.filtered.has(row); }
  getSheetId() { return this.id; }
  /** Ids as Apps Script gives them: unique, not in the order the metadata was added. */
  addDeveloperMetadata(key, value, visibility) {
    this.metadata = this.metadata || [];
    this.metadataIds = (this.metadataIds || 0) + 1;
    this.metadata.push({ id: (this.metadataIds * 7919) % 10007, key, value, visibility });
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
    const stored = {};
    Object.assign(this, { sheets, active: sheets[0], editors: options.editors || ['ana@inmosol.ec'], added: [],
      timeZone: options.timeZone || 'America/Guayaquil',
      properties: { getProperty: (key) => (key in stored ? stored[key] : null), setProperty: (key, value) => { stored[key] = String(value); } } });
  }

  getSheets() { return this.sheets; }
  getActiveSheet() { return this.active; }
  getName() { return 'Feria 2026'; }
  getId() { return '1AbCdEfGhIjKlMnOpQrStUvWxYz'; }
  getUrl() { return 'https://docs.google.com/spreadsheets/d/1AbCdEfGhIjKlMnOpQrStUvWxYz/edit'; }
  getSpreadsheetTimeZone() { return this.timeZone; }
  /** SpreadsheetApp's finder, as far as the add-on uses it: by key, each found item's tab. */
  createDeveloperMetadataFinder() {
    const found = [];
    const finder = {
      withKey: (key) => {
        this.sheets.forEach((sheet) => (sheet.metadata || []).filter((m) => m.key === key).forEach(() =>
          found.push({ getLocation: () => ({ getSheet: () => sheet }) })));
        return finder;
      },
      find: () => found,
    };
    return finder;
  }

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

/** Utilities.formatDate for the three patterns the add-on uses, in the given time zone (as Apps Script does). */
function formatDate(date, timeZone, pattern) {
  const parts = {};
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit',
    minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).formatToParts(date).forEach((p) => { parts[p.type] = p.value; });
  const day = `${parts.year}-${parts.month}-${parts.day}`;
  const time = `${parts.hour}:${parts.minute}:${parts.second}`;
  return { 'yyyy-MM-dd': day, 'HH:mm:ss': time, 'yyyy-MM-dd HH:mm:ss': `${day} ${time}` }[pattern];
}

/**
 * The add-on's files run in one V8 context. `backendUrl` stands for the Deployment.js deploy.js makes
 * (null: none, as when src/ is pushed unbuilt); `dir` loads a built copy instead of src/.
 */
function load({ spreadsheet, respond, backendUrl = 'https://functions.test', locale = 'es_EC', dir = SRC }) {
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
    PropertiesService: { getDocumentProperties: () => spreadsheet.properties },
    LockService: { getDocumentLock: () => ({ waitLock: () => { spreadsheet.locks = (spreadsheet.locks || 0) + 1; }, releaseLock: () => {} }) },
    ScriptApp: { getIdentityToken: () => 'id-token-of-ana' },
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
      formatDate: formatDate,
      // a Blob of text or of bytes (what base64Decode gives), as far as the add-on and its tests use one
      newBlob: (data, type, name) => {
        const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
        return { getBytes: () => bytes, getContentType: () => type, getName: () => name,
          getDataAsString: () => bytes.toString('utf8') };
      },
      base64Decode: (text) => Array.from(Buffer.from(text, 'base64')),
    },
  };
  vm.createContext(context);
  if (backendUrl) vm.runInContext(`const DEPLOYMENT = { backendUrl: ${JSON.stringify(backendUrl)} };`, context);
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.js')).sort()) {
    vm.runInContext(fs.readFileSync(path.join(dir, file), 'utf8'), context, { filename: file });
  }
  return { addon: context, ui, urlFetch, sleeps };
}

module.exports = { FakeSheet, FakeSpreadsheet, load, renderPage };
