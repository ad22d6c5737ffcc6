/**
 * Lead Import for Google Sheets: the menu, the sidebar, and the server functions the sidebar
 * calls through google.script.run. Everything that decides (mapping, validation, dedup) happens
 * in the backend, so a sheet imports exactly like a file with the same columns.
 */

const MENU_LABELS = {
  en: 'Import leads…', es: 'Importar leads…', fr: 'Importer des leads…', ru: 'Импорт лидов…', pt: 'Importar leads…',
};
const PREVIEW_ROWS = 100;

function userLocale_() {
  const locale = String(Session.getActiveUserLocale() || 'en').slice(0, 2);
  return MENU_LABELS[locale] ? locale : 'en';
}

function onOpen(e) {
  SpreadsheetApp.getUi().createAddonMenu().addItem(MENU_LABELS[userLocale_()], 'showSidebar').addToUi();
}

function onInstall(e) {
  onOpen(e);
}

function showSidebar() {
  const html = HtmlService.createTemplateFromFile('Sidebar').evaluate().setTitle('Lead Import');
  SpreadsheetApp.getUi().showSidebar(html);
}

/** The sidebar's template includes its script from its own file (SidebarScript.html); private (the trailing
 * underscore) so that the page's google.script.run cannot call it. */
function include_(name) {
  return HtmlService.createHtmlOutputFromFile(name).getContent();
}

/** The spreadsheet's tabs, the active one and its likely header row. */
function getSheetInfo() {
  const spreadsheet = SpreadsheetApp.getActiveSpreadsheet();
  const active = spreadsheet.getActiveSheet();
  const top = active.getLastRow() ? active.getRange(1, 1, Math.min(active.getLastRow(), SCAN_ROWS),
    Math.max(active.getLastColumn(), 1)).getValues() : [];
  return {
    spreadsheetName: spreadsheet.getName(),
    sheets: spreadsheet.getSheets().map(sheetSummary_),
    activeSheetId: active.getSheetId(),
    spreadsheetId: spreadsheet.getId(),
    headerRow: guessHeaderRow_(top),
    locale: userLocale_(),
  };
}

/** Columns, samples and the backend's suggested mapping for one tab and header row. */
function loadSetup(sheetId, headerRow) {
  const sheet = sheetById_(sheetId);
  const sample = readSample_(sheet, Number(headerRow));
  if (!sample.columns.length) throw new Error('Row ' + headerRow + ' has no column names.');
  const suggestion = callBackend_('suggest_mapping', {
    columns: sample.columns, rows: sample.rows.map(function (r) { return r.values; }), locale: userLocale_(),
  });
  return Object.assign({}, suggestion, {
    sheet: sheetSummary_(sheet), headerRow: Number(headerRow), columns: sample.columns,
    samples: sample.rows.slice(0, 3), alreadyImported: countImported_(sheet, Number(headerRow), sample.results),
  });
}

/** What would happen to the first rows of the range, read exactly as the import will read them: the
 * backend's import with writes switched off. */
function previewImport(settings) {
  const sheet = sheetById_(settings.sheetId);
  const rows = sheetRecords_(sheet, settings, PREVIEW_ROWS);
  return callBackend_('preview_import', Object.assign({
    columns: rows.header.slice(2),
    rows: rows.records.map(function (r) { return { row: Number(r[0]), values: r.slice(2), formula_errors: r[1] }; }),
    options: jobOptions_(settings),
  }, operation_(settings)));
}

/** Start the job, upload the range to its signed URL; the storage event does the rest. */
function submitImport(settings) {
  const spreadsheet = SpreadsheetApp.getActiveSpreadsheet();
  const sheet = sheetById_(settings.sheetId);
  const upload = buildUpload_(sheet, settings); // refuses a range over the limit before any job is started
  if (!upload.rows) {
    throw new Error(upload.alreadyImported ? 'Every row of this range was already imported. Tick "Import all rows ' +
      'again" to send them anyway.' : 'There are no rows to import in this range.');
  }
  const started = callBackend_('start_import', Object.assign(operation_(settings), {
    filename: spreadsheet.getName() + ' - ' + sheet.getName(),
    content_type: 'text/csv',
    rows: upload.rows,
    source: { // where the rows came from; where results go, the backend works out from the sheet itself
      spreadsheet_id: spreadsheet.getId(), spreadsheet_name: spreadsheet.getName(), url: spreadsheet.getUrl(),
      sheet_id: sheet.getSheetId(), sheet_title: sheet.getName(), upload: 'rows-v1', // SheetData.js's records
    },
    options: jobOptions_(settings),
  }));
  stampForWriteBack_(sheet, started.sheet_stamp);
  if (started.share_with) shareForWriteBack_(spreadsheet, started.share_with);
  uploadToSignedUrl_(started.upload, Utilities.newBlob(upload.csv, 'text/csv', 'upload.csv'));
  return { jobId: started.job_id, rows: upload.rows, alreadyImported: upload.alreadyImported, hidden: upload.hidden,
    formulaErrors: upload.formulaErrors };
}

// "Import a file" (seeds 001 and 003 drag a file onto an upload page): an xlsx or csv from the computer,
// with the same mapping, preview and result screens; its statuses are in the report (no sheet to write to).
const FILE_TYPES = { csv: 'text/csv', txt: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };

function fileType_(name) {
  const type = FILE_TYPES[String(name).split('.').pop().toLowerCase()];
  if (!type) throw new Error('Pick an .xlsx or .csv file.');
  return type;
}

/** The file's columns, first rows and suggested mapping, read by the backend's own reader from `sample`
 * (the file, or a long csv's first part). */
function inspectFile(file) {
  fileType_(file.name);
  const answer = callBackend_('suggest_mapping', {
    file: { filename: file.name, content_base64: file.sample, truncated: !!file.truncated },
    header_row: file.noHeader ? null : file.headerRow || null, no_header: !!file.noHeader, locale: userLocale_(),
  });
  return Object.assign({}, answer, { columns: answer.file.columns, headerRow: answer.file.header_row,
    samples: answer.file.rows.slice(0, 3), alreadyImported: 0 });
}

/** The preview of a file: its first rows as the backend read them, through the import with writes off. */
function previewFile(settings, file) {
  return callBackend_('preview_import', Object.assign({ columns: file.columns, rows: file.rows,
    options: jobOptions_(Object.assign({}, settings, { mappingBy: 'header' })) }, operation_(settings)));
}

/** Start the job and upload the file itself (its bytes, as picked) to the job's signed URL. */
function submitFile(settings, file) {
  const type = fileType_(file.name);
  const bytes = Utilities.base64Decode(file.content);
  if (bytes.length > MAX_UPLOAD_BYTES) throw new Error('This file is over 45 MB: email it, or drop it in the bucket.');
  const options = jobOptions_(Object.assign({}, settings, { mappingBy: 'header' }));
  const started = callBackend_('start_import', Object.assign(operation_(settings), {
    filename: file.name, content_type: type === 'text/csv' ? 'text/csv' : type, options: options,
  }));
  uploadToSignedUrl_(started.upload, Utilities.newBlob(bytes, type, file.name));
  return { jobId: started.job_id, rows: null, alreadyImported: 0 };
}

const STAMP_PREFIX = 'leadimport-job-';
const STAMPS_KEPT = 20;

/**
 * The proof write-back asks for: this job's secret on this very tab, as developer metadata added in the
 * user's own session, which only someone who can edit the tab can do. The writer account, which many
 * tenants share their sheets with, writes into no tab that does not carry its job's stamp.
 */
function stampForWriteBack_(sheet, stamp) {
  if (!stamp) throw new Error('The import service did not say how to mark this sheet for its results.');
  // a tab's developer metadata is limited: keep the newest stamps, enough for every import still running.
  // Metadata ids are not in time order, so the order the stamps were added in is kept in the document's
  // properties; a stamp that list does not know counts as the oldest.
  // null outside an add-on's or a bound script's document: then no order is known, and none kept
  const properties = PropertiesService.getDocumentProperties() || { getProperty: () => null, setProperty: () => null };
  const lock = LockService.getDocumentLock(); // two imports at once would each rewrite the order
  if (lock) lock.waitLock(10000);
  try {
    pruneAndStamp_(sheet, stamp, properties);
  } finally {
    if (lock) lock.releaseLock();
  }
}

/** Under the document's lock: the oldest stamps out, this one in, and the order kept. */
function pruneAndStamp_(sheet, stamp, properties) {
  const orderKey = STAMP_PREFIX + 'order-' + sheet.getSheetId();
  const order = JSON.parse(properties.getProperty(orderKey) || '[]');
  const age = (m) => order.indexOf(m.getKey());
  const ours = sheet.getDeveloperMetadata().filter((m) => m.getKey().indexOf(STAMP_PREFIX) === 0)
    .sort((a, b) => age(a) - age(b));
  const removed = ours.slice(0, Math.max(0, ours.length - STAMPS_KEPT + 1));
  removed.forEach((m) => m.remove());
  sheet.addDeveloperMetadata(stamp.key, stamp.value, SpreadsheetApp.DeveloperMetadataVisibility.DOCUMENT);
  const left = ours.filter((m) => removed.indexOf(m) < 0).map((m) => m.getKey());
  const kept = order.filter((key) => left.indexOf(key) >= 0).concat([stamp.key]);
  properties.setProperty(orderKey, JSON.stringify(kept));
}

/** The import service writes the statuses back: it needs edit access to this spreadsheet only. */
function shareForWriteBack_(spreadsheet, account) {
  const editors = spreadsheet.getEditors().map(function (user) { return user.getEmail(); });
  if (editors.indexOf(account) < 0) spreadsheet.addEditor(account);
}

function getJobStatus(jobId) {
  return callBackend_('job_status', { job_id: jobId });
}

/** The recent imports, this spreadsheet's first (then the workspace's others, newest first). */
function listImports() {
  const here = SpreadsheetApp.getActiveSpreadsheet().getId();
  const imports = callBackend_('list_imports', { limit: 30 }).imports;
  const mine = imports.filter(function (job) { return job.spreadsheet_id === here; });
  const others = imports.filter(function (job) { return job.spreadsheet_id !== here; });
  return { imports: mine.concat(others).slice(0, 10) };
}

// The status a row gets when its import is undone: not a "done" word, so submitting again sends the row.
const UNDONE_WORDS = { en: 'undone', es: 'deshecho', fr: 'annulé', ru: 'отменено', pt: 'desfeito' };

/** Undo the import, then mark its rows in the sheet it wrote to (its stamped tab) as undone. */
/** Select a cell the preview names ("B4"), so the person lands on what to fix. */
function selectCell(sheetId, a1) {
  if (!/^[A-Z]{1,3}[1-9][0-9]{0,6}$/.test(String(a1))) throw new Error('Not a cell: ' + a1);
  const sheet = sheetById_(sheetId);
  sheet.activate();
  sheet.getRange(a1).activate();
}

function undoImport(jobId, locale) {
  const report = callBackend_('undo_import', { job_id: jobId });
  report.rowsMarked = markUndone_(jobId, report.lead_ids || [], UNDONE_WORDS[locale] || UNDONE_WORDS.en);
  delete report.lead_ids;
  return report;
}

/**
 * The rows whose lead id cell holds one of the leads the undo put back, on the tab stamped for the job,
 * get `word` as their status: found by lead id, so a sorted sheet is marked right too. Returns how many.
 */
function markUndone_(jobId, leadIds, word) {
  const found = SpreadsheetApp.getActiveSpreadsheet().createDeveloperMetadataFinder()
    .withKey(STAMP_PREFIX + jobId).find();
  if (!found.length || !leadIds.length) return 0; // imported from a file, or another spreadsheet
  const sheet = found[0].getLocation().getSheet();
  const top = sheet.getRange(1, 1, Math.min(Math.max(sheet.getLastRow(), 1), SCAN_ROWS), Math.max(sheet.getLastColumn(), 1))
    .getValues();
  const headerIndex = top.findIndex(function (row) { return resultColumns_(row.map(String)).existing; });
  if (headerIndex < 0 || sheet.getLastRow() <= headerIndex + 1) return 0;
  const columns = resultColumns_(top[headerIndex].map(String));
  const first = headerIndex + 2;
  const height = sheet.getLastRow() - first + 1;
  const ids = sheet.getRange(first, columns.id, height, 1).getValues();
  const statusRange = sheet.getRange(first, columns.status, height, 1);
  const statuses = statusRange.getValues();
  const wanted = {};
  leadIds.forEach(function (id) { wanted[id] = true; });
  let marked = 0;
  ids.forEach(function (row, i) {
    if (wanted[String(row[0])]) {
      statuses[i][0] = word;
      marked++;
    }
  });
  if (marked) statusRange.setValues(statuses); // one write, however many rows
  return marked;
}

/**
 * Seed 004's bulk operations on the listed leads: add tags, give them an owner, update only those that exist.
 * The backend decides what each sets (core/operations.py), exactly as `leadimport bulk` does.
 */
function operation_(settings) {
  const name = settings.operation || 'import';
  const bulk = { operation: name };
  if (name === 'tag') bulk.tags = String(settings.tags || '').split(/[,;|]/).map(function (t) { return t.trim(); }).filter(String);
  if (name === 'assign' && settings.owner) bulk.owner = settings.owner;
  return bulk;
}

/** Hand one owner's leads (or the leads with none) to another: no sheet needed (bulk_reassign). */
function reassignLeads(fromUser, toUser) {
  const request = { to_user: toUser };
  if (fromUser) request.from_user = fromUser; else request.orphans = true;
  const answer = callBackend_('bulk_reassign', request);
  return { jobId: answer.job_id, counts: answer.counts };
}

/** The sidebar's choices as the backend's job options (the requester comes from the ID token). */
function jobOptions_(settings) {
  const options = {
    header_row: settings.headerRow,
    mapping: settings.mapping, // a sheet's by column letter (sheet_export.py); a file's by its column names
    mapping_by: settings.mappingBy || 'letter',
    defaults: settings.defaults || {},
    on_match: settings.onMatch || 'update',
    mode: settings.mode || 'upsert',
    create_labels: !!settings.createLabels,
  };
  if (settings.noHeader) { // a file with no header row (Sperant's start row 1): its columns are letters
    options.no_header = true;
    options.header_row = null;
  }
  if (settings.firstRow) options.first_row = settings.firstRow;
  if (settings.lastRow) options.last_row = settings.lastRow;
  if (settings.matchOn && settings.matchOn.length) options.match_on = settings.matchOn;
  return options;
}
