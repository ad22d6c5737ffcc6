'use strict';
// The sidebar in headless Chromium (Debian's chromium, driven by playwright-core), with a stubbed
// google.script.run standing in for the add-on's server functions: map, preview, submit, progress,
// result. A screenshot of each state is kept in addon/test-artifacts/.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');

const { renderPage } = require('./fakes');
const ARTIFACTS = path.join(__dirname, '..', 'test-artifacts');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

const FIELDS = [
  { name: 'first_name', label: 'Nombres', kind: 'name', group: 'person', needs: 'name' },
  { name: 'full_name', label: 'Nombre completo', kind: 'name', group: 'both', needs: 'name' },
  { name: 'email', label: 'Correo electrónico', kind: 'email', group: 'both', needs: 'contact' },
  { name: 'phone', label: 'Teléfono', kind: 'phone', group: 'both', needs: 'contact' },
  { name: 'source', label: 'Medio de captación', kind: 'picklist', group: 'both', needs: null },
  { name: 'tags', label: 'Etiquetas', kind: 'labels', group: 'both', needs: null },
];

// Runs in the page before the sidebar's own script: google.script.run answered from canned data.
function stubScriptRun({ fields, canImport = true }) {
  const undoneOnce = [];
  const statuses = [
    { status: 'running', counts: { rows: 1 }, expected_rows: 3 },
    { status: 'running', counts: { rows: 2 }, expected_rows: 3 },
    { status: 'done', expected_rows: 3, counts: { rows: 3, created: 1, updated: 1, unchanged: 0, skipped: 0, errors: 1 },
      errors: [{ row: 4, errors: [{ message: "'luis@' no es un correo válido", cell: 'B4' }] }],
      downloads: { errors_xlsx: 'https://storage.test/errors.xlsx' },
      write_back: { status: 'written', range: "'Feria'!F2:G5", status_column: 'F', moved: 0, unplaced: 1 } },
  ];
  const answers = {
    getSheetInfo: () => ({ spreadsheetName: 'Feria 2026', spreadsheetId: 'ss-feria', sheets: [{ id: 42, title: 'Feria' }, { id: 7, title: 'Otra' }],
      activeSheetId: 42, headerRow: 2, locale: 'es' }), // the person's language, which the sidebar keeps
    loadSetup: (sheetId, headerRow) => ({
      caller: { email: 'ana@inmosol.ec', can_import: canImport },
      tenant: { locale: 'fr', match_on: ['email', 'phone'], labels: {},
        users: [{ email: 'ana@inmosol.ec', name: 'Ana' }, { email: 'luis@inmosol.ec', name: 'Luis' }] },
      fields, headerRow, sheet: { id: sheetId }, alreadyImported: 2,
      columns: ['Nombre', 'Correo', 'Celular', 'Origen', 'Comentario'],
      samples: [{ row: 3, values: ['Ana Ruiz', 'ana.ruiz@gmail.com', '0991234567', 'Facebook', ''] }],
      mapping: [
        { column: 'Nombre', letter: 'A', field: 'full_name', confidence: 0.95, reason: 'header name' },
        { column: 'Correo', letter: 'B', field: 'email', confidence: 0.98, reason: 'header name' },
        { column: 'Celular', letter: 'C', field: 'phone', confidence: 0.7, reason: 'values look like phones' },
        { column: 'Origen', letter: 'D', field: 'source', confidence: 0.5, reason: 'close spelling' },
        { column: 'Comentario', letter: 'E', field: null, confidence: 0, reason: 'not recognised' },
      ],
    }),
    previewImport: () => ({ counts: { rows: 3, created: 1, updated: 1, unchanged: 0, skipped: 0, errors: 1 },
      rows: [{ row: 3, status: 'created' }, { row: 4, status: 'error', errors: [{ message: "'luis@' no es un correo válido", cell: 'B4' }] },
        { row: 6, status: 'updated', lead_id: 'L7', warnings: [{ message: 'Propietario desconocido', cell: 'E6' }] }] }),
    selectCell: () => null,
    inspectFile: (file) => ({
      caller: { email: 'ana@inmosol.ec', can_import: canImport },
      tenant: { locale: 'fr', match_on: ['email', 'phone'], labels: {}, users: [] },
      fields, headerRow: 1, alreadyImported: 0, columns: ['Nombre', 'Correo'], samples: [{ row: 2, values: ['Ana Ruiz', 'ana@x.ec'] }],
      mapping: [{ column: 'Nombre', letter: 'A', field: 'full_name', confidence: 0.95, reason: 'header name' },
        { column: 'Correo', letter: 'B', field: 'email', confidence: 0.98, reason: 'header name' }],
      file: { columns: ['Nombre', 'Correo'], header_row: 1, rows: [{ row: 2, values: ['Ana Ruiz', 'ana@x.ec'] },
        { row: 3, values: ['Luis', 'luis@'] }], name: file.name },
    }),
    previewFile: () => ({ counts: { rows: 2, created: 1, errors: 1 }, rows: [{ row: 2, status: 'created' },
      { row: 3, status: 'error', errors: [{ message: "'luis@' no es un correo válido", cell: 'B3' }] }] }),
    submitFile: () => ({ jobId: 'job123456789', rows: null, alreadyImported: 0 }),
    reassignLeads: () => ({ jobId: 'r1', counts: { updated: 4 } }),
    submitImport: () => ({ jobId: 'job123456789', rows: 3, alreadyImported: 2 }),
    getJobStatus: () => statuses.length > 1 ? statuses.shift() : statuses[0],
    listImports: () => ({ imports: [{ job_id: 'old1', filename: 'Feria 2026 - Feria', status: 'done',
      created_at: '2026-11-20T10:00:00Z', requested_by: 'ana@inmosol.ec', counts: { rows: 10, created: 8, errors: 2 },
      spreadsheet_id: 'ss-feria', undone: undoneOnce.length > 0 }] }),
    undoImport: () => { undoneOnce.push(1); return { deleted: 1, restored: 1, rowsMarked: 2 }; },
  };
  window.__calls = [];
  const runner = (onSuccess, onFailure) => new Proxy({}, {
    get(_, name) {
      if (name === 'withSuccessHandler') return (fn) => runner(fn, onFailure);
      if (name === 'withFailureHandler') return (fn) => runner(onSuccess, fn);
      return (...args) => {
        window.__calls.push([name, JSON.parse(JSON.stringify(args))]);
        setTimeout(() => {
          try { onSuccess && onSuccess(answers[name](...args)); } catch (error) { onFailure && onFailure(error); }
        }, 50);
      };
    },
  });
  window.google = { script: { run: runner(null, null) } };
  window.confirm = () => true;
}

/** `use(page)` on the sidebar in a fresh browser, on its setup screen; the browser closes whatever happens. */
async function inSidebar(stub, use) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  try {
    return await use(await openSidebar(browser, stub));
  } finally {
    await browser.close();
  }
}

/** The sidebar in a new page, as HtmlService serves it, its server side stubbed; on its setup screen. */
async function openSidebar(browser, stub) {
  const page = await browser.newPage({ viewport: { width: 300, height: 900 } });
  await page.route(/^https?:\/\//, (route) => route.fulfill({ status: 200, contentType: 'text/css', body: '' }));
  await page.addInitScript(stubScriptRun, { fields: FIELDS, ...stub });
  const sidebar = path.join(ARTIFACTS, 'Sidebar.rendered.html');
  fs.writeFileSync(sidebar, renderPage('Sidebar'));
  await page.goto('file://' + sidebar);
  await page.waitForSelector('#setup:not([hidden])');
  return page;
}

test('the sidebar maps, previews, submits, shows progress and the result', async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  try {
    const page = await browser.newPage({ viewport: { width: 300, height: 900 } });
    const external = [];
    await page.route(/^https?:\/\//, (route) => { external.push(route.request().url()); route.fulfill({ status: 200, contentType: 'text/css', body: '' }); });
    await page.addInitScript(stubScriptRun, { fields: FIELDS });
    const sidebar = path.join(ARTIFACTS, 'Sidebar.rendered.html');  // as HtmlService serves it: the script included
    fs.writeFileSync(sidebar, renderPage('Sidebar'));
    await page.goto('file://' + sidebar);
    const shot = (name) => page.screenshot({ path: path.join(ARTIFACTS, name), fullPage: true });

    // Setup: the backend's suggestions, in the workspace's language, with confidence
    await page.waitForSelector('#setup:not([hidden])');
    assert.equal(await page.getAttribute('html', 'lang'), 'es');
    assert.equal(await page.textContent('#importButton'), 'Importar');
    assert.equal(await page.inputValue('#map-0'), 'full_name');
    assert.equal(await page.inputValue('#map-4'), '');
    assert.match(await page.getAttribute('#mapping tbody tr:nth-child(4) .badge', 'title'), /dudoso — close spelling/);
    assert.equal(await page.textContent('#needs'), 'Con este mapeo se puede importar cada fila.');
    assert.equal(await page.isVisible('#allRowsRow'), true);
    assert.match(await page.textContent('#allRowsLabel'), /2 ya importadas/);
    await shot('1-mapping.png');

    // change the mapping: no contact column left → the requirement shows, then comes back
    await page.selectOption('#map-1', '');
    await page.selectOption('#map-2', '');
    assert.equal(await page.textContent('#needs'), 'Mapee una columna de correo o de teléfono.');
    await page.selectOption('#map-1', 'email');
    await page.selectOption('#map-4', 'tags');
    await page.click('#addDefault');
    await page.selectOption('#default-0', 'source');
    await page.fill('#defaults input', 'Feria');

    // keyboard: every control is reachable with Tab, in order, up to Import
    await page.focus('#sheet');
    const reached = [];
    for (let i = 0; i < 40 && reached[reached.length - 1] !== 'importButton'; i++) {
      await page.keyboard.press('Tab');
      reached.push(await page.evaluate(() => document.activeElement.id));
    }
    for (const id of ['headerRow', 'map-0', 'map-4', 'addDefault', 'key-email', 'onMatch', 'mode', 'allRows', 'previewButton', 'importButton']) {
      assert.ok(reached.includes(id), `${id} is not reachable with Tab (${reached.join(', ')})`);
    }

    // no layout jump: a message appearing does not move the form, and the buttons stay put
    const top = () => page.evaluate(() => document.getElementById('setup').getBoundingClientRect().top);
    const buttons = () => page.evaluate(() => JSON.stringify(document.getElementById('importButton').getBoundingClientRect()));
    const [before, buttonsBefore] = [await top(), await buttons()];
    await page.evaluate(() => say('Un mensaje'));
    assert.equal(await top(), before);
    await page.evaluate(() => say(''));

    // Preview
    await page.click('#previewButton');
    await page.waitForSelector('#preview:not([hidden])');
    // row by row: the outcome, the lead it would update, each problem with its cell
    const outcomes = await page.$$eval('#previewRows tbody tr', (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent)));
    assert.deepEqual(outcomes, [['3', 'crear', ''], ['4', 'error', "B4 'luis@' no es un correo válido"],
      ['6', 'actualizar', 'lead L7E6 Propietario desconocido']]);
    assert.match(await page.textContent('#previewCounts'), /Creados1/);
    await page.click('#previewRows a:text("B4")'); // clicking a problem's cell selects it in the sheet
    await page.waitForFunction(() => window.__calls.some(([name]) => name === 'selectCell'));
    assert.deepEqual((await page.evaluate(() => window.__calls)).find(([name]) => name === 'selectCell')[1], [42, 'B4']);
    await shot('2-preview.png');

    // Submit → progress → result
    await page.click('#importButton');
    await page.waitForSelector('#progress:not([hidden])');
    await page.waitForFunction(() => /de 3 filas/.test(document.getElementById('progressText').textContent));
    await shot('3-progress.png');
    assert.equal(await buttons(), buttonsBefore);
    await page.waitForSelector('#result:not([hidden])', { timeout: 15000 });
    assert.equal(await page.textContent('#resultTitle'), 'Importación terminada');
    // the result screen is no place to import from: Preview and Import are off until a new import is set up
    assert.deepEqual([await page.isDisabled('#previewButton'), await page.isDisabled('#importButton')], [true, true]);
    assert.match(await page.textContent('#resultCounts'), /Actualizados1/);
    assert.equal(await page.getAttribute('#errorFile', 'href'), 'https://storage.test/errors.xlsx');
    // where the statuses went, and the row the writer could not place (the sheet changed since the import)
    assert.match(await page.textContent('#writeBack'), /^El estado de cada fila está en la columna F\. Filas que ya no estaban en su lugar .*: 1\./);
    await shot('4-result.png');

    const calls = await page.evaluate(() => window.__calls);
    const submitted = calls.find(([name]) => name === 'submitImport')[1][0];
    // by column letter, as the upload's columns are: a blank or repeated header still names one column
    assert.deepEqual(submitted.mapping, { A: 'full_name', B: 'email', C: null, D: 'source', E: 'tags' });
    assert.deepEqual(submitted.valueColumns, []);
    assert.equal(submitted.visibleOnly, false);
    assert.deepEqual(submitted.defaults, { source: 'Feria' });
    assert.deepEqual(submitted.matchOn, ['email', 'phone']);
    assert.equal(submitted.headerRow, 2);
    assert.equal(submitted.all, false);

    // Undo from the result
    await page.click('#undo');
    await page.waitForFunction(() => /Deshecha/.test(document.getElementById('message').textContent));
    assert.equal(await page.isVisible('#undo'), false);
    // this spreadsheet's import, marked undone, with no second Undo
    await page.waitForFunction(() => /Deshecha: sus filas están marcadas/.test(document.getElementById('historyList').textContent));
    assert.match(await page.textContent('#historyList'), /▸ Feria 2026 - Feria/);
    assert.equal(await page.locator('#historyList button').count(), 0);
    const undoCall = (await page.evaluate(() => window.__calls)).find(([name]) => name === 'undoImport');
    assert.deepEqual(undoCall[1], ['job123456789', 'es']);
    await shot('5-undone.png');

    assert.deepEqual(external, ['https://ssl.gstatic.com/docs/script/css/add-ons1.css']); // only Google's add-on styles
  } finally {
    await browser.close();
  }
});

test('the bulk operations of seed 004 are in the sidebar: tag, assign, update, reassign', () => inSidebar({}, async (page) => {
  assert.equal(await page.isVisible('#opTagsRow'), false);
  await page.selectOption('#operation', 'tag');
  await page.fill('#opTags', 'VIP, Feria');
  await page.click('#previewButton');
  await page.waitForSelector('#preview:not([hidden])');
  await page.selectOption('#operation', 'assign');
  assert.deepEqual([await page.isVisible('#opTagsRow'), await page.isVisible('#opOwnerRow')], [false, true]);
  await page.selectOption('#opOwner', 'luis@inmosol.ec');
  await page.click('#importButton');
  await page.waitForSelector('#result:not([hidden])', { timeout: 15000 });
  await page.click('#reassign summary');
  await page.selectOption('#fromUser', 'ana@inmosol.ec');
  await page.selectOption('#toUser', 'luis@inmosol.ec');
  await page.click('#reassignButton');
  await page.waitForFunction(() => /Reasignados: 4 leads/.test(document.getElementById('message').textContent));
  await page.screenshot({ path: path.join(ARTIFACTS, '6-bulk.png'), fullPage: true });
  const calls = await page.evaluate(() => window.__calls);
  const previewed = calls.find(([name]) => name === 'previewImport')[1][0];
  assert.deepEqual([previewed.operation, previewed.tags], ['tag', 'VIP, Feria']);
  const submitted = calls.find(([name]) => name === 'submitImport')[1][0];
  assert.deepEqual([submitted.operation, submitted.owner], ['assign', 'luis@inmosol.ec']);
  assert.deepEqual(calls.find(([name]) => name === 'reassignLeads')[1], ['ana@inmosol.ec', 'luis@inmosol.ec']);
}));

test('import a file from the computer: the same mapping, preview and result screens', () => inSidebar({}, async (page) => {
  const csv = 'Nombre,Correo\nAna Ruiz,ana@x.ec\nLuis,luis@\n';
  await page.setInputFiles('#fileInput', { name: 'feria.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.waitForFunction(() => /feria\.csv/.test(document.getElementById('fileName').textContent));
  assert.deepEqual([await page.isVisible('#sheetRow'), await page.isVisible('#sheetButton')], [false, true]);
  assert.equal(await page.inputValue('#map-1'), 'email');
  await page.click('#previewButton');
  await page.waitForSelector('#preview:not([hidden])');
  assert.match(await page.textContent('#previewRows'), /B3 'luis@' no es un correo válido/);
  assert.equal(await page.locator('#previewRows a').count(), 0); // a file's cell is not one of the sheet's
  await page.screenshot({ path: path.join(ARTIFACTS, '7-file.png'), fullPage: true });
  await page.click('#importButton');
  await page.waitForSelector('#result:not([hidden])', { timeout: 15000 });
  const calls = await page.evaluate(() => window.__calls);
  const inspected = calls.find(([name]) => name === 'inspectFile')[1][0];
  assert.deepEqual([inspected.name, Buffer.from(inspected.sample, 'base64').toString(), inspected.truncated], ['feria.csv', csv, false]);
  const [submitted, file] = calls.find(([name]) => name === 'submitFile')[1];
  assert.deepEqual(submitted.mapping, { Nombre: 'full_name', Correo: 'email' }); // a file's columns by name
  assert.equal(Buffer.from(file.content, 'base64').toString(), csv);
  assert.equal(calls.some(([name]) => name === 'submitImport'), false);
}));

test('a file with no header row: the person says so, and it is read and imported as all rows', () => inSidebar({}, async (page) => {
  await page.setInputFiles('#fileInput', { name: 'sin_titulos.csv', mimeType: 'text/csv', buffer: Buffer.from('Ana,a@x.ec\n') });
  await page.waitForFunction(() => /sin_titulos\.csv/.test(document.getElementById('fileName').textContent));
  assert.equal(await page.isVisible('#noHeaderRow'), true);
  assert.match(await page.textContent('label[for=noHeader]'), /Sin fila de títulos/);
  await page.check('#noHeader');
  await page.waitForFunction(() => window.__calls.filter(([name]) => name === 'inspectFile').length === 2);
  await page.waitForFunction(() => document.getElementById('headerRow').disabled); // read again: no header row
  await page.click('#importButton');
  await page.waitForSelector('#result:not([hidden])', { timeout: 15000 });
  const calls = await page.evaluate(() => window.__calls);
  const inspected = calls.filter(([name]) => name === 'inspectFile').map(([, args]) => args[0].noHeader);
  assert.deepEqual(inspected, [false, true]);
  assert.equal(calls.find(([name]) => name === 'submitFile')[1][0].noHeader, true);
}));

test('someone without the import role is told why Preview and Import are off', () => inSidebar({ canImport: false }, async (page) => {
  assert.match(await page.textContent('#message'), /no importar: su espacio de trabajo no le ha dado el rol de importación/);
  assert.equal(await page.getAttribute('#message', 'class'), 'error');
  assert.deepEqual([await page.isDisabled('#previewButton'), await page.isDisabled('#importButton')], [true, true]);
  assert.match(await page.getAttribute('#importButton', 'title'), /rol de importación/);
}));

/** A PNG's width and height, from its IHDR chunk. */
function pngSize(file) {
  const bytes = fs.readFileSync(file);
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

test('two 1280×800 screenshots for the Marketplace listing: the sidebar beside the sheet it imports', async () => {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.route(/^https?:\/\//, (route) => route.fulfill({ status: 200, contentType: 'text/css', body: '' }));
    await page.addInitScript(stubScriptRun, { fields: FIELDS });
    const sidebar = path.join(ARTIFACTS, 'Sidebar.rendered.html');
    fs.writeFileSync(sidebar, renderPage('Sidebar'));
    const cells = [['', 'A', 'B', 'C', 'D', 'E', 'F'], ['1', 'Reporte de leads — Feria 2026', '', '', '', '', ''],
      ['2', 'Nombre', 'Correo', 'Celular', 'Origen', 'Lead Import: estado', 'Lead Import: id del lead'],
      ['3', 'Ana Ruiz', 'ana.ruiz@gmail.com', '0991234567', 'Facebook', 'creado', 'x7Kq2'],
      ['4', 'Luis Paz', 'luis@', '0987654321', 'Facebook', "error: 'luis@' no es un correo válido [B4]", ''],
      ['5', 'Eva Gil', 'eva.gil@gmail.com', '', 'Urbania', 'actualizado', 'p3Zr9']];
    const grid = cells.map((row, r) => '<tr>' + row.map((cell, c) => (r === 0 || c === 0 ? `<th>${cell}</th>` :
      `<td class="${cell.startsWith('error') ? 'err' : cell === 'creado' ? 'ok' : cell === 'actualizado' ? 'up' : ''}">${cell}</td>`)).join('') + '</tr>').join('');
    const listing = path.join(ARTIFACTS, 'listing.html');
    fs.writeFileSync(listing, `<!doctype html><meta charset="utf-8"><style>
      body{margin:0;display:flex;height:800px;font:13px Arial,sans-serif;background:#f8f9fa}
      main{flex:1;padding:16px;overflow:hidden} table{border-collapse:collapse;background:#fff}
      th,td{border:1px solid #e0e0e0;padding:4px 8px;white-space:nowrap} th{background:#f1f3f4;color:#5f6368;font-weight:normal}
      td.ok{background:#d9ead3} td.up{background:#cfe2f3} td.err{background:#f4c7c3}
      aside{width:300px;border-left:1px solid #dadce0;background:#fff} iframe{border:0;width:300px;height:800px}
      h1{font:20px Arial;margin:0 0 12px}</style>
      <main><h1>Feria 2026</h1><table>${grid}</table></main><aside><iframe src="Sidebar.rendered.html" title="Lead Import"></iframe></aside>`);
    await page.goto('file://' + listing);
    const frame = page.frameLocator('iframe');
    await frame.locator('#setup:not([hidden])').waitFor();
    const mapping = path.join(ARTIFACTS, 'listing-1-mapping.png');
    await page.screenshot({ path: mapping });
    await frame.locator('#importButton').click();
    await frame.locator('#result:not([hidden])').waitFor({ timeout: 15000 });
    const result = path.join(ARTIFACTS, 'listing-2-result.png');
    await page.screenshot({ path: result });
    assert.deepEqual([pngSize(mapping), pngSize(result)], [[1280, 800], [1280, 800]]);
  } finally {
    await browser.close();
  }
});
