'use strict';
// The add-on's server code (Code.js, SheetData.js, Backend.js) run in Node against fakes of Apps Script.

const test = require('node:test');
const assert = require('node:assert/strict');
const { FakeSheet, FakeSpreadsheet, load } = require('./fakes');

const ROWS = [
  ['Reporte de leads — Feria 2026', '', '', ''],
  ['Nombre', 'Correo', 'Celular', 'Alta'],
  ['Ana Ruiz', 'ana.ruiz@gmail.com', 593991234567, new Date(2026, 10, 3)],
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

test('submit uploads one CSV line per sheet row, so row numbers stay the sheet\'s', () => {
  let started = null;
  const spreadsheet = new FakeSpreadsheet([new FakeSheet(5, 'Leads', ROWS)]);
  const { addon, urlFetch } = load({
    spreadsheet,
    respond: backend({ start_import: (body) => { started = body; return STARTED; } }),
  });
  const result = addon.submitImport({ sheetId: 5, headerRow: 2, mapping: { Nombre: 'full_name' }, matchOn: ['email'] });
  assert.deepEqual(plain(result), { jobId: 'job123456789', rows: 2, alreadyImported: 0 });
  assert.equal(started.source.status_column, 5);
  assert.equal(started.source.data_columns, 4);
  assert.equal(started.source.sheet_title, 'Leads');
  assert.deepEqual(plain(started.options), { header_row: 2, mapping: { Nombre: 'full_name' }, defaults: {}, on_match: 'update',
    mode: 'upsert', create_labels: false, match_on: ['email'] });
  assert.equal(started.requested_by, undefined); // the backend takes the requester from the token
  const put = urlFetch.requests[1];
  assert.equal(put.params.method, 'put');
  assert.equal(put.params.contentType, 'text/csv');
  assert.deepEqual(plain(put.params.headers), { 'x-goog-content-length-range': '0,209715200' });
  assert.equal(put.params.payload.toString('utf8'), [
    '', 'Nombre,Correo,Celular,Alta', 'Ana Ruiz,ana.ruiz@gmail.com,593991234567,2026-11-03', '',
    '"Luis ""Lucho"" Paz",luis@,0987654321,"ayer, tarde"', ''].join('\n'));
  assert.deepEqual(plain(spreadsheet.added), []);
  // the tab carries the job's stamp, added in the user's session: write-back's proof that they could edit it
  assert.deepEqual(plain(spreadsheet.sheets.find((s) => s.id === 5).metadata), [
    { id: 1, key: 'leadimport-job-job123456789', value: 'secret-of-job123456789', visibility: 'DOCUMENT' }]);
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
    return [result, urlFetch.requests[1].params.payload.toString('utf8'), JSON.parse(urlFetch.requests[0].params.payload)];
  };
  const [again, text, body] = csv(false);
  assert.deepEqual([again.rows, again.alreadyImported], [2, 2]);
  assert.equal(text, 'Nombre,Correo\n\nLuis,luis@\n\nNuevo,nuevo@x.ec\n'); // our own columns are never sent
  assert.equal(body.source.status_column, 3); // the earlier import's columns are reused
  assert.equal(body.source.data_columns, 2);
  const [all, allText] = csv(true);
  assert.equal(all.rows, 4);
  assert.equal(allText.split('\n').filter(Boolean).length, 5);
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
  const payload = urlFetch.requests[1].params.payload;
  assert.ok(payload.length < 45 * 1024 * 1024);
  assert.equal(payload.toString('utf8').split('\n')[100000], 'p99999@x.ec,593990099999,Persona 99999');
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
  const { addon } = load({ spreadsheet: new FakeSpreadsheet([new FakeSheet(1, 'L', ROWS)]), properties: {} });
  assert.throws(() => addon.listImports(), /BACKEND_URL/);
});

test('the manifest asks for the narrowest scopes that work', () => {
  const manifest = require('../src/appsscript.json');
  assert.deepEqual(manifest.oauthScopes.sort(), [
    'https://www.googleapis.com/auth/script.container.ui',
    'https://www.googleapis.com/auth/script.external_request',
    'https://www.googleapis.com/auth/spreadsheets.currentonly',
    'https://www.googleapis.com/auth/userinfo.email',
    'openid',
  ]);
  assert.equal(manifest.runtimeVersion, 'V8');
});
