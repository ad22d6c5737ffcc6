/**
 * Reading the sheet: its tabs, the header row, the rows to import as CSV, and which rows an
 * earlier import already brought in (their status cell says so).
 *
 * The upload is the contract `functions/leadimport/core/read/sheet_export.py` reads, one record per row sent:
 *   [sheet row number, formula errors ("C=#N/A D=#REF!"), cell A, cell B, …]
 * the header row first. Rows carry their own numbers (a cell with a line break spans several CSV lines,
 * and rows left out would shift every line after them), and columns are the sheet's own by position, so
 * the mapping (keyed by letter) and the backend's cell references ("C7") are what the person sees.
 */

const READ_BLOCK_ROWS = 10000; // rows per getValues call: big sheets are read in blocks
const MAX_UPLOAD_BYTES = 45 * 1024 * 1024; // UrlFetchApp refuses payloads over 50 MB
const SAMPLE_ROWS = 50;
const SCAN_ROWS = 30;
// The write-back column headers in every language (the backend writes them: its i18n catalog, functions/leadimport/i18n/locales).
const STATUS_HEADERS = ['Lead Import: status', 'Lead Import: estado', 'Lead Import : statut', 'Lead Import: статус'];
const ID_HEADERS = ['Lead Import: lead id', 'Lead Import: id del lead', 'Lead Import : id du lead',
  'Lead Import: id лида', 'Lead Import: id do lead'];
// A row whose status starts with one of these was imported: re-submitting leaves it out.
const DONE_WORDS = ['created', 'updated', 'unchanged', 'creado', 'actualizado', 'sin cambios', 'créé',
  'mis à jour', 'inchangé', 'создан', 'обновлён', 'без изменений', 'criado', 'atualizado', 'sem alterações'];

function sheetById_(sheetId) {
  const sheet = SpreadsheetApp.getActiveSpreadsheet().getSheets().filter(function (s) {
    return s.getSheetId() === Number(sheetId);
  })[0];
  if (!sheet) throw new Error('That sheet no longer exists: reopen Lead Import.');
  return sheet;
}

// What a formula shows when it fails: such a cell is sent empty and named, never imported as text.
const FORMULA_ERROR = /^#(N\/A|REF!|VALUE!|DIV\/0!|NAME\?|NUM!|NULL!|ERROR!|SPILL!|CALC!)$/;

/** A cell as the text a person would type: dates as ISO, whole numbers without ".0". */
function cellText_(value, timeZone) {
  if (value === null || value === undefined) return '';
  if (Object.prototype.toString.call(value) === '[object Date]') { // not instanceof: a Date may come from another realm
    const midnight = Utilities.formatDate(value, timeZone, 'HH:mm:ss') === '00:00:00';
    return Utilities.formatDate(value, timeZone, midnight ? 'yyyy-MM-dd' : 'yyyy-MM-dd HH:mm:ss');
  }
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return String(value).trim();
}

/**
 * A data cell as the person means it. A number is sent as it is shown (a phone or a cédula kept as a
 * formatted number keeps its leading zeros: 0991234567, not 991234567), except in a column whose field
 * wants the number itself (an amount, a date: `asValue`), or where the sheet shows it in scientific notation.
 */
function sheetCell_(value, shown, asValue, timeZone) {
  if (typeof value !== 'number' || asValue) return cellText_(value, timeZone);
  const text = String(shown === undefined || shown === null ? '' : shown).trim();
  return !text || /\d[eE][+-]?\d/.test(text) ? cellText_(value, timeZone) : text;
}

/** One CSV record: quoted where a comma, a quote, a line break or an edge space would change it. */
function csvLine_(cells) {
  return cells.map(function (cell) {
    return /[",\r\n]/.test(cell) || /^\s|\s$/.test(cell) ? '"' + cell.replace(/"/g, '""') + '"' : cell;
  }).join(',');
}

/** The likeliest header row: the first of the widest rows made mostly of text, among the first 30. */
function guessHeaderRow_(rows) {
  let best = 1;
  let bestWidth = 0;
  rows.slice(0, SCAN_ROWS).forEach(function (row, index) {
    const filled = row.filter(function (v) { return v !== '' && v !== null; });
    const texts = filled.filter(function (v) { return typeof v === 'string' && !/^[\d\s+().-]+$/.test(v); });
    if (filled.length > bestWidth && texts.length >= filled.length * 0.8) {
      best = index + 1;
      bestWidth = filled.length;
    }
  });
  return best;
}

/** Where write-back goes: our columns if an earlier import made them, else right of the data. */
function resultColumns_(header) {
  const index = header.findIndex(function (h) { return STATUS_HEADERS.indexOf(String(h)) >= 0; });
  const idIndex = header.findIndex(function (h) { return ID_HEADERS.indexOf(String(h)) >= 0; });
  if (index >= 0) return { status: index + 1, id: idIndex >= 0 ? idIndex + 1 : index + 2, existing: true };
  let last = header.length;
  while (last > 0 && (header[last - 1] === '' || header[last - 1] === null)) last--;
  return { status: last + 1, id: last + 2, existing: false };
}

function sheetSummary_(sheet) {
  return { id: sheet.getSheetId(), title: sheet.getName(), lastRow: sheet.getLastRow(), lastColumn: sheet.getLastColumn() };
}

/**
 * The columns sent, from A: up to the last used one that is not a write-back column. A write-back column
 * among them is sent blank (header and cells), so every other column keeps its letter.
 */
function readHeader_(sheet, headerRow, timeZone) {
  const lastColumn = Math.max(sheet.getLastColumn(), 1);
  const header = sheet.getRange(headerRow, 1, 1, lastColumn).getValues()[0].map(function (v) { return cellText_(v, timeZone); });
  const results = resultColumns_(header);
  const ours = function (index) { return results.existing && (index + 1 === results.status || index + 1 === results.id); };
  let width = lastColumn;
  while (width > 1 && ours(width - 1)) width--;
  const names = header.slice(0, width).map(function (name, index) { return ours(index) ? '' : name; });
  return { names: names, ours: ours, results: results, width: width, lastColumn: lastColumn };
}

/** The letters of a column (0-based index): A, …, Z, AA, … */
function columnLetter_(index) {
  let letters = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + (n - 1) % 26) + letters;
  return letters;
}

/**
 * A vertical merge's one value on every row it covers, as the person sees it (one company for three people):
 * [row:column] → cell. Only down its first column: a merge across columns is one field's cell, not several.
 * The top-left cell comes from the block already read when it is in it.
 */
function mergedCells_(range, firstRow, block) {
  const filled = {};
  range.getMergedRanges().forEach(function (merged) {
    const top = merged.getRow();
    const column = merged.getColumn();
    const inBlock = top >= range.getRow() && top - range.getRow() < block.values.length;
    const i = top - range.getRow();
    const cell = inBlock ? { value: block.values[i][column - 1], shown: block.shown[i][column - 1], formula: block.formulas[i][column - 1] }
      : { value: merged.getValues()[0][0], shown: merged.getDisplayValues()[0][0], formula: merged.getFormulas()[0][0] };
    for (let r = Math.max(top, firstRow); r <= merged.getLastRow(); r++) filled[r + ':' + column] = cell;
  });
  return filled;
}

/**
 * The rows of the chosen range, each as the upload's record, in blocks of READ_BLOCK_ROWS rows (one read
 * of values, shown values and formulas a block). Left out: blank rows, rows an earlier import brought in
 * (unless `all`), and with `visibleOnly` the rows hidden by the person or by a filter. `limit` stops early.
 */
function sheetRecords_(sheet, settings, limit) {
  const timeZone = SpreadsheetApp.getActiveSpreadsheet().getSpreadsheetTimeZone();
  const headerRow = settings.headerRow;
  const layout = readHeader_(sheet, headerRow, timeZone);
  const asValue = {};
  (settings.valueColumns || []).forEach(function (letter) { asValue[letter] = true; });
  const letters = layout.names.map(function (_, index) { return columnLetter_(index); });
  const first = Math.max(settings.firstRow || headerRow + 1, headerRow + 1);
  const last = Math.min(settings.lastRow || sheet.getLastRow(), sheet.getLastRow());
  const out = { header: [String(headerRow), ''].concat(layout.names), records: [], sent: 0, alreadyImported: 0,
    hidden: 0, formulaErrors: 0, first: first, last: last, results: layout.results, width: layout.width };
  const blockRows = limit ? Math.min(READ_BLOCK_ROWS, Math.max(4 * limit, 200)) : READ_BLOCK_ROWS; // a sample reads little
  for (let start = first; start <= last && !(limit && out.sent >= limit); start += blockRows) {
    const count = Math.min(blockRows, last - start + 1);
    const range = sheet.getRange(start, 1, count, layout.lastColumn);
    const values = range.getValues();
    const shown = range.getDisplayValues();
    const formulas = range.getFormulas();
    const merged = mergedCells_(range, headerRow + 1, { values: values, shown: shown, formulas: formulas });
    for (let i = 0; i < count && !(limit && out.sent >= limit); i++) {
      const row = start + i;
      const status = layout.results.existing ? String(values[i][layout.results.status - 1] || '') : '';
      if (!settings.all && DONE_WORDS.some(function (word) { return status.indexOf(word) === 0; })) {
        out.alreadyImported++;
        continue;
      }
      if (settings.visibleOnly && (sheet.isRowHiddenByUser(row) || sheet.isRowHiddenByFilter(row))) {
        out.hidden++;
        continue;
      }
      const errors = [];
      const cells = letters.map(function (letter, c) {
        if (layout.ours(c)) return '';
        const cell = merged[row + ':' + (c + 1)] || { value: values[i][c], shown: shown[i][c], formula: formulas[i][c] };
        if (cell.formula && typeof cell.value === 'string' && FORMULA_ERROR.test(cell.value)) {
          errors.push(letter + '=' + cell.value);
          return '';
        }
        return sheetCell_(cell.value, cell.shown, asValue[letter], timeZone);
      });
      if (!errors.length && cells.every(function (c) { return c === ''; })) continue;
      out.formulaErrors += errors.length;
      out.records.push([String(row), errors.join(' ')].concat(cells));
      out.sent++;
    }
  }
  return out;
}

/** The upload itself: the header record and the rows' records as CSV (sheet_export.py reads it). */
function buildUpload_(sheet, settings) {
  const rows = sheetRecords_(sheet, settings);
  const parts = [csvLine_(rows.header)];
  let bytes = utf8Bytes_(parts[0]) + 1;
  rows.records.forEach(function (record) {
    const line = csvLine_(record);
    bytes += utf8Bytes_(line) + 1;
    parts.push(line);
  });
  if (bytes > MAX_UPLOAD_BYTES) {
    throw new Error('This range is too large to send from the sheet (' + Math.ceil(bytes / 1048576) + ' MB, over 45 MB): ' +
      'import it in parts (first and last row), or download it as .csv and email or upload it.');
  }
  return Object.assign(rows, { csv: parts.join('\n') + '\n', bytes: bytes, rows: rows.sent });
}

/** The bytes a text takes in UTF-8: the limits are in bytes, and a Cyrillic letter is two. */
function utf8Bytes_(text) {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) { bytes += 4; i++; } // a surrogate pair: one 4-byte character
    else bytes += 3;
  }
  return bytes;
}

/** The header (by position), a few data rows (for the mapper) and the results columns. */
function readSample_(sheet, headerRow) {
  const rows = sheetRecords_(sheet, { headerRow: headerRow, all: true }, SAMPLE_ROWS);
  return {
    columns: rows.header.slice(2),
    rows: rows.records.map(function (record) {
      return { row: Number(record[0]), values: record.slice(2), formula_errors: record[1] };
    }),
    results: rows.results,
  };
}

/** How many rows an earlier import brought in, by their status cells. */
function countImported_(sheet, headerRow, results) {
  if (!results.existing || sheet.getLastRow() <= headerRow) return 0;
  const statuses = sheet.getRange(headerRow + 1, results.status, sheet.getLastRow() - headerRow, 1).getValues();
  return statuses.filter(function (row) {
    const text = String(row[0] || '');
    return DONE_WORDS.some(function (word) { return text.indexOf(word) === 0; });
  }).length;
}
