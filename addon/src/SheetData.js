/**
 * Reading the sheet: its tabs, the header row, the rows to import as CSV, and which rows an
 * earlier import already brought in (their status cell says so).
 *
 * Row numbers are the sheet's own: the CSV has one line per sheet row from row 1, blank where a
 * row is not sent, so the backend's row numbers and cell references ("C7") are what the person sees.
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

/** A cell as the text a person would type: dates as ISO, whole numbers without ".0". */
function cellText_(value, timeZone) {
  if (value === null || value === undefined) return '';
  if (Object.prototype.toString.call(value) === '[object Date]') { // not instanceof: a Date may come from another realm
    const midnight = value.getHours() === 0 && value.getMinutes() === 0 && value.getSeconds() === 0;
    return Utilities.formatDate(value, timeZone, midnight ? 'yyyy-MM-dd' : 'yyyy-MM-dd HH:mm:ss');
  }
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return String(value).trim();
}

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

/** The header and data columns of a sheet, without the write-back columns. */
function readHeader_(sheet, headerRow) {
  const width = Math.max(sheet.getLastColumn(), 1);
  const header = sheet.getRange(headerRow, 1, 1, width).getValues()[0].map(function (v) { return cellText_(v, 'UTC'); });
  const results = resultColumns_(header);
  const columns = [];
  header.forEach(function (name, index) {
    if (index + 1 !== results.status && index + 1 !== results.id) columns.push({ index: index, name: name });
  });
  while (columns.length && !columns[columns.length - 1].name) columns.pop();
  return { columns: columns, results: results, width: width };
}

/**
 * The rows of the chosen range as CSV (header + data), one line per sheet row from row 1.
 * Rows already imported (by their status cell) are left blank unless `all` is set.
 */
function buildUpload_(sheet, settings) {
  const timeZone = SpreadsheetApp.getActiveSpreadsheet().getSpreadsheetTimeZone();
  const headerRow = settings.headerRow;
  const layout = readHeader_(sheet, headerRow);
  const first = Math.max(settings.firstRow || headerRow + 1, headerRow + 1);
  const last = Math.min(settings.lastRow || sheet.getLastRow(), sheet.getLastRow());
  const lines = [];
  for (let n = 1; n < headerRow; n++) lines.push('');
  lines.push(csvLine_(layout.columns.map(function (c) { return c.name; })));
  for (let n = headerRow + 1; n < first; n++) lines.push('');
  let size = lines.join('\n').length;
  let sent = 0;
  let alreadyImported = 0;
  for (let start = first; start <= last; start += READ_BLOCK_ROWS) {
    const count = Math.min(READ_BLOCK_ROWS, last - start + 1);
    const block = sheet.getRange(start, 1, count, layout.width).getValues();
    block.forEach(function (row) {
      const status = layout.results.existing ? String(row[layout.results.status - 1] || '') : '';
      const done = DONE_WORDS.some(function (word) { return status.indexOf(word) === 0; });
      const cells = layout.columns.map(function (c) { return cellText_(row[c.index], timeZone); });
      const blank = cells.every(function (c) { return c === ''; });
      let line = '';
      if (done && !settings.all) {
        alreadyImported++;
      } else if (!blank) {
        line = csvLine_(cells);
        sent++;
      }
      size += line.length + 1;
      lines.push(line);
    });
    if (size > MAX_UPLOAD_BYTES) {
      throw new Error('This range is too large to send from the sheet (over 45 MB): import it in parts ' +
        '(first and last row), or download it as .csv and email or upload it.');
    }
  }
  return {
    csv: lines.join('\n') + '\n', rows: sent, alreadyImported: alreadyImported, first: first, last: last,
    results: layout.results, dataColumns: layout.results.existing ? layout.results.status - 1 : layout.width,
  };
}

/** The header, a few data rows (for the mapper) and the count of rows already imported. */
function readSample_(sheet, headerRow) {
  const layout = readHeader_(sheet, headerRow);
  const lastRow = sheet.getLastRow();
  const count = Math.max(Math.min(SAMPLE_ROWS, lastRow - headerRow), 0);
  const timeZone = SpreadsheetApp.getActiveSpreadsheet().getSpreadsheetTimeZone();
  const rows = count ? sheet.getRange(headerRow + 1, 1, count, layout.width).getValues() : [];
  return {
    columns: layout.columns.map(function (c) { return c.name; }),
    rows: rows.map(function (row, i) {
      return { row: headerRow + 1 + i, values: layout.columns.map(function (c) { return cellText_(row[c.index], timeZone); }) };
    }).filter(function (r) { return r.values.some(function (v) { return v !== ''; }); }),
    results: layout.results,
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
