'use strict';
// The add-on's server code (Code.js, SheetData.js, Backend.js) run in Node against fakes of Apps Script.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { FakeSheet, FakeSpreadsheet, load } = require('./fakes');
const { build } = require('../deploy');

const ROWS = [
  ['Reporte de leads — Feria 2026', '', '', ''],
  ['Nombre', 'Correo', 'Celular', 'Alta'],
  ['Ana Ruiz', 'ana.ruiz@gmail.com', 593991234567, new Date('2026-11-03T05:00:00Z')], // midnight in Guayaquil
  ['', '', '', ''],
  ['Luis "Lucho" Paz', 'luis@', '0987654321', 'ayer, tarde'],
];

// values made in the add-on's context have that context's prototypes: compare them as plain JSON
const plain = (value) => JSON.parse(JSON.stringify(value));

function backend(answers) {
  return (url, params) => {
    if (url.startsWith('https://storage.test/')) return { code: 200, body: '{}' };
    const name = url.split('/').pop();
    const answer = answers[name];
    return typeof answer === 'function' ? answer(JSON.parse(params.payload)) : (answer || { code: 404, body: { error: { code: 'nope', message: 'no' } } });
  };
}

const STARTED = { code: 200, body: { job_id: 'job123456789', status: 'awaiting_upload',
  sheet_stamp: { key: 'leadimport-job-job123456789', value: 'secret-of-job123456789' },
  upload: { url: 'https://storage.test/drop/uploads/t/job123456789/x.csv?X-Goog-Signature=abc', method: 'PUT',
    headers: { 'Content-Type': 'text/csv', 'x-goog-content-length-range': '0,209715200' } } } };

test('the menu and the sidebar open in the user\'s language', () => {
  const { addon, ui } = load({ spreadsheet: new FakeSpreadsheet([new FakeSheet(0, 'Leads', ROWS)]) });
  addon.onOpen({});
  assert.deepEqual(plain(ui.menus[0].items), [['Importar leads…', 'showSidebar']]);
  addon.showSidebar();
  assert.equal(ui.sidebars[0].file, 'Sidebar');
  assert.equal(ui.sidebars[0].title, 'Lead Import');
  // the script lives in its own file, and the page served carries it whole, with no scriptlet left over
  const page = ui.sidebars[0].getContent();
  const script = addon.include_('SidebarScript');
  assert.match(script, /<script>[\s\S]*google\.script\.run[\s\S]*<\/script>/);
  assert.ok(page.includes(script) && !page.includes('<?'));
});

test('sheet info finds the header row under a title', () => {
  const { addon } = load({ spreadsheet: new FakeSpreadsheet([new FakeSheet(5, 'Leads', ROWS), new FakeSheet(9, 'Otra', [['x']])]) });
  const info = addon.getSheetInfo();
  assert.equal(info.headerRow, 2);
  assert.deepEqual(plain(info.sheets.map((s) => [s.id, s.title, s.lastRow])), [[5, 'Leads', 5], [9, 'Otra', 1]]);
  assert.equal(info.locale, 'es');
});

test('loadSetup asks the backend mapper with the header and samples, signed in with the ID token', () => {
  const { addon, urlFetch } = load({
    spreadsheet: new FakeSpreadsheet([new FakeSheet(5, 'Leads', ROWS)]),
    respond: backend({ suggest_mapping: { code: 200, body: { mapping: [], fields: [], tenant: { locale: 'es' }, caller: {} } } }),
  });
  const setup = addon.loadSetup(5, 2);
  const request = urlFetch.requests[0];
  assert.equal(request.url, 'https://functions.test/suggest_mapping');
  assert.equal(request.params.headers.Authorization, 'Bearer id-token-of-ana');
  const body = JSON.parse(request.params.payload);
  assert.deepEqual(body.columns, ['Nombre', 'Correo', 'Celular', 'Alta']);
  assert.deepEqual(body.rows, [['Ana Ruiz', 'ana.ruiz@gmail.com', '593991234567', '2026-11-03'],
    ['Luis "Lucho" Paz', 'luis@', '0987654321', 'ayer, tarde']]);
  assert.deepEqual(plain(setup.samples.map((s) => s.row)), [3, 5]);
  assert.equal(setup.alreadyImported, 0);
});

test('submit uploads each row with its own number and every column by position', () => {
  let started = null;
  const spreadsheet = new FakeSpreadsheet([new FakeSheet(5, 'Leads', ROWS)]);
  const { addon, urlFetch } = load({
    spreadsheet,
    respond: backend({ start_import: (body) => { started = body; return STARTED; } }),
  });
  const result = addon.submitImport({ sheetId: 5, headerRow: 2, mapping: { A: 'full_name' }, matchOn: ['email'] });
  assert.deepEqual(plain(result), { jobId: 'job123456789', rows: 2, alreadyImported: 0, hidden: 0, formulaErrors: 0 });
  // where the results go is not the add-on's to say: the backend works it out from the sheet and the upload
  assert.deepEqual(plain(started.source), { spreadsheet_id: '1AbCdEfGhIjKlMnOpQrStUvWxYz', spreadsheet_name: 'Feria 2026',
    url: 'https://docs.google.com/spreadsheets/d/1AbCdEfGhIjKlMnOpQrStUvWxYz/edit', sheet_id: 5, sheet_title: 'Leads',
    upload: 'rows-v1' });
  assert.deepEqual(plain(started.options), { header_row: 2, mapping: { A: 'full_name' }, mapping_by: 'letter', defaults: {},
    on_match: 'update', mode: 'upsert', create_labels: false, match_on: ['email'] });
  assert.equal(started.requested_by, undefined); // the backend takes the requester from the token
  const put = urlFetch.requests[1];
  assert.equal(put.params.method, 'put');
  assert.equal(put.params.contentType, 'text/csv');
  assert.deepEqual(plain(put.params.headers), { 'x-goog-content-length-range': '0,209715200' });
  assert.equal(put.params.payload.getName(), 'upload.csv'); // the Blob itself, not a copy of its bytes
  assert.equal(put.params.payload.getDataAsString(), [
    '2,,Nombre,Correo,Celular,Alta', '3,,Ana Ruiz,ana.ruiz@gmail.com,593991234567,2026-11-03',
    '5,,"Luis ""Lucho"" Paz",luis@,0987654321,"ayer, tarde"', ''].join('\n'));
  assert.deepEqual(plain(spreadsheet.added), []);
  // the tab carries the job's stamp, added in the user's session: write-back's proof that they could edit it
  assert.deepEqual(plain(spreadsheet.sheets.find((s) => s.id === 5).metadata), [
    { id: 7919, key: 'leadimport-job-job123456789', value: 'secret-of-job123456789', visibility: 'DOCUMENT' }]);
});

test('cells are sent as the person sees them: shown numbers, formula errors named, merges filled, hidden rows out', () => {
  const rows = [
    ['Nombre', 'Cédula', 'Monto', 'Correo', 'Empresa'],
    ['Ana', 912345678, 1234.5, '#N/A', 'Sol SA'],
    ['Luis', 102030405, 99, '#N/A', ''],
    ['Oculta', 1, 1, 'o@x.ec', ''],
    ['Filtrada', 2, 2, 'f@x.ec', ''],
    ['Eva', 1.5e20, 7, 'eva@x.ec', 'Luna'],
  ];
  const sheet = new FakeSheet(1, 'L', rows, {
    display: { '2:2': '0912345678', '2:3': '$1,234.50', '3:2': '0102030405', '6:2': '1.5E+20' },
    formulas: { '2:4': '=VLOOKUP(A2,Hoja2!A:B,2,0)' }, // D3 holds the text "#N/A" someone typed: it is data
    merges: [[2, 5, 2, 1]], // E2:E3 merged: "Sol SA" is the company of both rows
    hidden: [4], filtered: [5],
  });
  const { addon, urlFetch } = load({ spreadsheet: new FakeSpreadsheet([sheet]), respond: backend({ start_import: STARTED }) });
  const result = addon.submitImport({ sheetId: 1, headerRow: 1, valueColumns: ['C'], visibleOnly: true });
  assert.deepEqual(plain(result), { jobId: 'job123456789', rows: 3, alreadyImported: 0, hidden: 2, formulaErrors: 1 });
  assert.equal(urlFetch.requests[1].params.payload.getDataAsString(), [
    '1,,Nombre,Cédula,Monto,Correo,Empresa',
    '2,D=#N/A,Ana,0912345678,1234.5,,Sol SA',
    '3,,Luis,0102030405,99,#N/A,Sol SA',
    '6,,Eva,150000000000000000000,7,eva@x.ec,Luna', ''].join('\n'));
  const all = load({ spreadsheet: new FakeSpreadsheet([sheet]), respond: backend({ start_import: STARTED }) });
  assert.equal(all.addon.submitImport({ sheetId: 1, headerRow: 1 }).rows, 5); // hidden rows too, unless asked
});

test('the size limit counts UTF-8 bytes, and refuses before any job is started', () => {
  const { addon, urlFetch } = load({ spreadsheet: new FakeSpreadsheet([new FakeSheet(1, 'L', ROWS)]) });
  assert.equal(addon.utf8Bytes_('Иван Pérez 😀'), 8 + 1 + 6 + 1 + 4);
  const rows = [['Имя', 'Заметка']];
  const note = 'Ж'.repeat(30000); // 60 KB a row in UTF-8, 30,000 characters
  for (let i = 0; i < 800; i++) rows.push(['Иван ' + i, note]); // 48 MB: over the limit in bytes, not in characters
  const big = load({ spreadsheet: new FakeSpreadsheet([new FakeSheet(1, 'L', rows)]) });
  assert.throws(() => big.addon.submitImport({ sheetId: 1, headerRow: 1 }), /too large to send from the sheet \(46 MB/);
  assert.equal(big.urlFetch.requests.length, 0);
  assert.equal(urlFetch.requests.length, 0);
});

test('a tab keeps only the newest twenty stamps, and the person\'s own metadata', () => {
  const sheet = new FakeSheet(1, 'L', ROWS);
  sheet.addDeveloperMetadata('crm-sync', 'theirs', 'DOCUMENT');
  let n = 0;
  const start = () => ({ code: 200, body: { ...STARTED.body, sheet_stamp: { key: `leadimport-job-${++n}`, value: 's' } } });
  const { addon } = load({ spreadsheet: new FakeSpreadsheet([sheet]), respond: backend({ start_import: start }) });
  for (let i = 0; i < 25; i++) addon.submitImport({ sheetId: 1, headerRow: 2 });
  const keys = sheet.metadata.map((m) => m.key);
  assert.equal(keys.length, 21);
  assert.equal(keys[0], 'crm-sync');
  assert.deepEqual(keys.slice(1), Array.from({ length: 20 }, (_, i) => `leadimport-job-${i + 6}`));
});

test('re-submitting leaves out rows already imported, unless asked for all', () => {
  const rows = [
    ['Nombre', 'Correo', 'Lead Import: estado', 'Lead Import: id del lead'],
    ['Ana', 'ana@x.ec', 'creado', 'L1'],
    ['Luis', 'luis@', 'error: correo no válido [B3]', ''],
    ['Eva', 'eva@x.ec', 'sin cambios', 'L3'],
    ['Nuevo', 'nuevo@x.ec', '', ''],
  ];
  const csv = (all) => {
    const { addon, urlFetch } = load({ spreadsheet: new FakeSpreadsheet([new FakeSheet(1, 'L', rows)]),
      respond: backend({ start_import: STARTED }) });
    const result = addon.submitImport({ sheetId: 1, headerRow: 1, all });
    return [result, urlFetch.requests[1].params.payload.getDataAsString(), JSON.parse(urlFetch.requests[0].params.payload)];
  };
  const [again, text, body] = csv(false);
  assert.deepEqual([again.rows, again.alreadyImported], [2, 2]);
  assert.equal(text, '1,,Nombre,Correo\n3,,Luis,luis@\n5,,Nuevo,nuevo@x.ec\n'); // our own columns are never sent
  assert.equal(body.source.status_column, undefined);
  const [all, allText] = csv(true);
  assert.equal(all.rows, 4);
  assert.equal(allText.split('\n').filter(Boolean).length, 5);
});

test('a write-back column among the data is sent blank, so every other column keeps its letter', () => {
  const rows = [['Nombre', 'Lead Import: status', 'Lead Import: lead id', 'Correo'], ['Ana', 'error: x', '', 'ana@x.ec']];
  const { addon, urlFetch } = load({ spreadsheet: new FakeSpreadsheet([new FakeSheet(1, 'L', rows)]),
    respond: backend({ start_import: STARTED }) });
  addon.submitImport({ sheetId: 1, headerRow: 1 });
  assert.equal(urlFetch.requests[1].params.payload.getDataAsString(), '1,,Nombre,,,Correo\n2,,Ana,,,ana@x.ec\n');
});

test('undo marks the job\'s rows undone in its stamped tab, found by lead id, so a re-submit sends them', () => {
  const rows = [
    ['Nombre', 'Correo', 'Lead Import: estado', 'Lead Import: id del lead'],
    ['Eva', 'eva@x.ec', 'creado', 'L3'], // sorted since: row numbers moved, lead ids did not
    ['Luis', 'luis@', 'error: correo no válido [B3]', ''],
    ['Ana', 'ana@x.ec', 'actualizado', 'L1'],
    ['Otro', 'otro@x.ec', 'creado', 'L9'], // another import's lead
  ];
  const sheet = new FakeSheet(1, 'L', rows);
  sheet.addDeveloperMetadata('leadimport-job-job123456789', 'secret', 'DOCUMENT');
  const undone = { code: 200, body: { job_id: 'job123456789', deleted: 1, restored: 1, left: [], lead_ids: ['L1', 'L3'] } };
  const { addon, urlFetch } = load({ spreadsheet: new FakeSpreadsheet([new FakeSheet(0, 'Otra', [['x']]), sheet]),
    respond: backend({ undo_import: undone, start_import: STARTED }) });
  const report = addon.undoImport('job123456789', 'es');
  assert.deepEqual(plain(report), { job_id: 'job123456789', deleted: 1, restored: 1, left: [], rowsMarked: 2 });
  assert.deepEqual(sheet.values.map((r) => r[2]), ['Lead Import: estado', 'deshecho', 'error: correo no válido [B3]',
    'deshecho', 'creado']);
  addon.submitImport({ sheetId: 1, headerRow: 1 });
  const sent = urlFetch.requests.find((r) => r.params.method === 'put').params.payload.getDataAsString();
  assert.deepEqual(sent.trim().split('\n').map((line) => line.split(',')[0]), ['1', '2', '3', '4']); // Otro stays out
});

test('recent imports list this spreadsheet\'s first', () => {
  const imports = [{ job_id: 'a', spreadsheet_id: 'other' }, { job_id: 'b', spreadsheet_id: null },
    { job_id: 'c', spreadsheet_id: '1AbCdEfGhIjKlMnOpQrStUvWxYz' }];
  const { addon, urlFetch } = load({ spreadsheet: new FakeSpreadsheet([new FakeSheet(1, 'L', ROWS)]),
    respond: backend({ list_imports: { code: 200, body: { imports } } }) });
  assert.deepEqual(plain(addon.listImports().imports.map((j) => j.job_id)), ['c', 'a', 'b']);
  assert.equal(JSON.parse(urlFetch.requests[0].params.payload).limit, 30);
});

test('seed 004\'s bulk operations go with the preview and the import; reassignment needs no sheet', () => {
  const bodies = {};
  const keep = (name, answer) => (body) => { bodies[name] = body; return answer; };
  const { addon } = load({ spreadsheet: new FakeSpreadsheet([new FakeSheet(5, 'Leads', ROWS)]), respond: backend({
    start_import: keep('start', STARTED), preview_import: keep('preview', { code: 200, body: { counts: {}, rows: [] } }),
    bulk_reassign: keep('reassign', { code: 200, body: { job_id: 'r1', counts: { updated: 4 }, lead_ids: [] } }) }) });
  const settings = { sheetId: 5, headerRow: 2, mapping: { B: 'email' }, operation: 'tag', tags: 'VIP; Feria 2026,' };
  addon.previewImport(settings);
  addon.submitImport(settings);
  for (const body of [bodies.preview, bodies.start]) {
    assert.deepEqual([body.operation, plain(body.tags)], ['tag', ['VIP', 'Feria 2026']]);
  }
  addon.submitImport({ ...settings, operation: 'assign', owner: 'luis@inmosol.ec' });
  assert.deepEqual([bodies.start.operation, bodies.start.owner, bodies.start.tags], ['assign', 'luis@inmosol.ec', undefined]);
  assert.deepEqual(plain(addon.reassignLeads('', 'luis@inmosol.ec')), { jobId: 'r1', counts: { updated: 4 } });
  assert.deepEqual(plain(bodies.reassign), { to_user: 'luis@inmosol.ec', orphans: true });
  addon.reassignLeads('ana@inmosol.ec', 'luis@inmosol.ec');
  assert.deepEqual(plain(bodies.reassign), { to_user: 'luis@inmosol.ec', from_user: 'ana@inmosol.ec' });
});

test('a file from the computer: inspected by the backend, previewed by column name, uploaded as its own bytes', () => {
  const bodies = {};
  const keep = (name, answer) => (body) => { bodies[name] = body; return answer; };
  const inspected = { mapping: [], fields: [], tenant: { locale: 'es' }, caller: { can_import: true },
    file: { columns: ['Nombre', 'Correo'], letters: ['A', 'B'], header_row: 1, rows: [{ row: 2, values: ['Ana', 'a@x.ec'] }] } };
  const { addon, urlFetch } = load({ spreadsheet: new FakeSpreadsheet([new FakeSheet(1, 'L', ROWS)]), respond: backend({
    suggest_mapping: keep('suggest', { code: 200, body: inspected }), start_import: keep('start', STARTED),
    preview_import: keep('preview', { code: 200, body: { counts: {}, rows: [] } }) }) });
  const xlsx = Buffer.from('PK\u0003\u0004 not really a workbook').toString('base64');
  const setup = addon.inspectFile({ name: 'Feria.xlsx', sample: xlsx, truncated: false, headerRow: null });
  assert.deepEqual(plain(bodies.suggest.file), { filename: 'Feria.xlsx', content_base64: xlsx, truncated: false });
  assert.deepEqual(plain([setup.columns, setup.headerRow, setup.samples.length]), [['Nombre', 'Correo'], 1, 1]);
  const settings = { headerRow: 1, mapping: { Nombre: 'full_name', Correo: 'email' } };
  addon.previewFile(settings, { columns: setup.columns, rows: inspected.file.rows });
  assert.deepEqual([bodies.preview.options.mapping_by, plain(bodies.preview.rows)], ['header', inspected.file.rows]);
  const started = addon.submitFile(settings, { name: 'Feria.xlsx', content: xlsx });
  assert.equal(started.jobId, 'job123456789');
  assert.deepEqual([bodies.start.filename, bodies.start.content_type, bodies.start.source, bodies.start.options.mapping_by],
    ['Feria.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', undefined, 'header']);
  const put = urlFetch.requests.find((r) => r.params.method === 'put').params;
  assert.equal(Buffer.from(put.payload.getBytes()).toString('base64'), xlsx); // the file's bytes, unchanged
  assert.equal(put.contentType, 'text/csv'); // as the signed URL was made for (STARTED's headers)
  assert.throws(() => addon.inspectFile({ name: 'leads.pdf', sample: 'AAAA' }), /xlsx or .csv/);
  // a file with no header row (Sperant's start row 1): read as all rows, imported so
  addon.inspectFile({ name: 'sin_titulos.csv', sample: 'QW5h', truncated: false, headerRow: 3, noHeader: true });
  assert.deepEqual([bodies.suggest.no_header, bodies.suggest.header_row], [true, null]);
  addon.submitFile({ headerRow: 0, noHeader: true, mapping: { 'Column A': 'full_name' } }, { name: 'sin_titulos.csv',
    content: 'QW5h' });
  assert.deepEqual([bodies.start.options.no_header, bodies.start.options.header_row], [true, null]);
});

test('every row already imported: a clear message, nothing started', () => {
  const rows = [['Correo', 'Lead Import: status'], ['a@x.ec', 'created']];
  const { addon, urlFetch } = load({ spreadsheet: new FakeSpreadsheet([new FakeSheet(1, 'L', rows)]) });
  assert.throws(() => addon.submitImport({ sheetId: 1, headerRow: 1 }), /already imported/);
  assert.equal(urlFetch.requests.length, 0);
});

test('the sheet is shared with the write-back account once', () => {
  const spreadsheet = new FakeSpreadsheet([new FakeSheet(1, 'L', ROWS)]);
  const answer = { code: 200, body: { ...STARTED.body, share_with: 'writer@proj.iam.gserviceaccount.com' } };
  const { addon } = load({ spreadsheet, respond: backend({ start_import: answer }) });
  addon.submitImport({ sheetId: 1, headerRow: 2 });
  addon.submitImport({ sheetId: 1, headerRow: 2 });
  assert.deepEqual(spreadsheet.added, ['writer@proj.iam.gserviceaccount.com']);
});

test('a 100,000-row sheet is read in blocks and sent in one upload', () => {
  const rows = [['Email', 'Phone', 'Name']];
  for (let i = 0; i < 100000; i++) rows.push([`p${i}@x.ec`, 593990000000 + i, `Persona ${i}`]);
  const sheet = new FakeSheet(1, 'Big', rows);
  const { addon, urlFetch } = load({ spreadsheet: new FakeSpreadsheet([sheet]), respond: backend({ start_import: STARTED }) });
  const result = addon.submitImport({ sheetId: 1, headerRow: 1 });
  assert.equal(result.rows, 100000);
  const blocks = sheet.reads.filter(([row, , rowsRead]) => row > 1 && rowsRead > 1);
  assert.deepEqual(blocks.map(([row, , count]) => [row, count]).slice(0, 2), [[2, 10000], [10002, 10000]]);
  assert.equal(blocks.length, 10);
  const payload = urlFetch.requests[1].params.payload.getDataAsString();
  assert.ok(payload.length < 45 * 1024 * 1024);
  assert.equal(payload.split('\n')[100000], '100001,,p99999@x.ec,593990099999,Persona 99999');
});

test('backend errors reach the sidebar as their message; busy answers are retried', () => {
  let calls = 0;
  const { addon, sleeps } = load({
    spreadsheet: new FakeSpreadsheet([new FakeSheet(1, 'L', ROWS)]),
    respond: backend({
      job_status: () => (++calls < 3 ? { code: 503, body: { error: { code: 'try_again', message: 'busy' } } }
        : { code: 404, body: { error: { code: 'not_found', message: 'There is no import x in your workspace.' } } }),
    }),
  });
  assert.throws(() => addon.getJobStatus('x'), (error) => error.code === 'not_found' && /no import/.test(error.message));
  assert.equal(calls, 3);
  assert.deepEqual(sleeps, [500, 1000]);
});

test('without a configured backend the add-on says what to set', () => {
  const { addon } = load({ spreadsheet: new FakeSpreadsheet([new FakeSheet(1, 'L', ROWS)]), backendUrl: null });
  assert.throws(() => addon.listImports(), /not configured: push it built with its backend URL/);
});

test('the manifest asks for the narrowest scopes that work, as an Editor add-on', () => {
  const manifest = require('../src/appsscript.json');
  assert.deepEqual(manifest.oauthScopes.sort(), [
    'https://www.googleapis.com/auth/script.container.ui',
    'https://www.googleapis.com/auth/script.external_request',
    'https://www.googleapis.com/auth/spreadsheets.currentonly',
    'https://www.googleapis.com/auth/userinfo.email',
    'openid',
  ]);
  assert.equal(manifest.runtimeVersion, 'V8');
  assert.equal(manifest.addOns, undefined); // the card-based Workspace add-on block: not for an HtmlService sidebar
  assert.equal(manifest.urlFetchWhitelist, undefined); // made by deploy.js, with the URL the add-on calls
});

test('deploy.js makes the whitelist and the URL the add-on calls from one setting, and they agree', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'leadimport-addon-'));
  try {
    const built = build('https://europe-west1-crm-sol.cloudfunctions.net/', out);
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'appsscript.json'), 'utf8'));
    assert.deepEqual(manifest.urlFetchWhitelist, ['https://europe-west1-crm-sol.cloudfunctions.net/', 'https://storage.googleapis.com/']);
    assert.deepEqual(manifest.oauthScopes, JSON.parse(fs.readFileSync(path.join(__dirname, '../src/appsscript.json'), 'utf8')).oauthScopes);
    assert.equal(built.backendUrl, 'https://europe-west1-crm-sol.cloudfunctions.net');
    // the built add-on, as pushed: every URL it fetches is one its manifest allows
    const sheet = new FakeSheet(1, 'L', ROWS);
    const storage = 'https://storage.googleapis.com/drop/uploads/t/job123456789/x.csv?X-Goog-Signature=abc';
    const { addon, urlFetch } = load({ spreadsheet: new FakeSpreadsheet([sheet]), dir: out, backendUrl: null,
      respond: (url) => (url.endsWith('/start_import') ? { code: 200, body: { ...STARTED.body, upload: { ...STARTED.body.upload, url: storage } } }
        : { code: 200, body: { mapping: [], fields: [], tenant: { locale: 'es' }, caller: {}, imports: [] } }) });
    addon.loadSetup(1, 2);
    addon.submitImport({ sheetId: 1, headerRow: 2 });
    addon.listImports();
    const fetched = urlFetch.requests.map((r) => r.url);
    assert.deepEqual(fetched.map((u) => u.split('?')[0]), ['https://europe-west1-crm-sol.cloudfunctions.net/suggest_mapping',
      'https://europe-west1-crm-sol.cloudfunctions.net/start_import', storage.split('?')[0],
      'https://europe-west1-crm-sol.cloudfunctions.net/list_imports']);
    assert.ok(fetched.every((u) => manifest.urlFetchWhitelist.some((allowed) => u.startsWith(allowed))));
    for (const bad of ['http://x.cloudfunctions.net', 'https://user:pw@x.net', 'https://x.net/?a=1', 'REGION-PROJECT', '']) {
      assert.throws(() => build(bad, out), /backend URL/);
    }
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
