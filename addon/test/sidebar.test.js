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
  { name: 'first_name', label: 'Nombres', group: 'person', needs: 'name' },
  { name: 'full_name', label: 'Nombre completo', group: 'both', needs: 'name' },
  { name: 'email', label: 'Correo electrónico', group: 'both', needs: 'contact' },
  { name: 'phone', label: 'Teléfono', group: 'both', needs: 'contact' },
  { name: 'source', label: 'Medio de captación', group: 'both', needs: null },
  { name: 'tags', label: 'Etiquetas', group: 'both', needs: null },
];

// Runs in the page before the sidebar's own script: google.script.run answered from canned data.
function stubScriptRun({ fields }) {
  const statuses = [
    { status: 'running', counts: { rows: 1 }, expected_rows: 3 },
    { status: 'running', counts: { rows: 2 }, expected_rows: 3 },
    { status: 'done', expected_rows: 3, counts: { rows: 3, created: 1, updated: 1, unchanged: 0, skipped: 0, errors: 1 },
      errors: [{ row: 4, errors: [{ message: "'luis@' no es un correo válido", cell: 'B4' }] }],
      downloads: { errors_xlsx: 'https://storage.test/errors.xlsx' },
      write_back: { status: 'written', range: "'Feria'!E2:F5" } },
  ];
  const answers = {
    getSheetInfo: () => ({ spreadsheetName: 'Feria 2026', sheets: [{ id: 42, title: 'Feria' }, { id: 7, title: 'Otra' }],
      activeSheetId: 42, headerRow: 2, locale: 'en' }),
    loadSetup: (sheetId, headerRow) => ({
      caller: { email: 'ana@inmosol.ec', can_import: true },
      tenant: { locale: 'es', match_on: ['email', 'phone'], labels: {}, users: [] },
      fields, headerRow, sheet: { id: sheetId }, alreadyImported: 2,
      columns: ['Nombre', 'Correo', 'Celular', 'Origen', 'Comentario'],
      samples: [{ row: 3, values: ['Ana Ruiz', 'ana.ruiz@gmail.com', '0991234567', 'Facebook', ''] }],
      mapping: [
        { column: 'Nombre', field: 'full_name', confidence: 0.95, reason: 'header name' },
        { column: 'Correo', field: 'email', confidence: 0.98, reason: 'header name' },
        { column: 'Celular', field: 'phone', confidence: 0.7, reason: 'values look like phones' },
        { column: 'Origen', field: 'source', confidence: 0.5, reason: 'close spelling' },
        { column: 'Comentario', field: null, confidence: 0, reason: 'not recognised' },
      ],
    }),
    previewImport: () => ({ counts: { rows: 3, created: 2, updated: 0, unchanged: 0, skipped: 0, errors: 1 },
      rows: [{ row: 4, status: 'error', errors: [{ message: "'luis@' no es un correo válido", cell: 'B4' }] }] }),
    submitImport: () => ({ jobId: 'job123456789', rows: 3, alreadyImported: 2 }),
    getJobStatus: () => statuses.length > 1 ? statuses.shift() : statuses[0],
    listImports: () => ({ imports: [{ job_id: 'old1', filename: 'Feria 2026 - Feria', status: 'done',
      created_at: '2026-11-20T10:00:00Z', requested_by: 'ana@inmosol.ec', counts: { rows: 10, created: 8, errors: 2 } }] }),
    undoImport: () => ({ deleted: 1, restored: 1 }),
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
    assert.match(await page.textContent('#previewIssues'), /Fila 4: 'luis@' no es un correo válido \[B4\]/);
    assert.match(await page.textContent('#previewCounts'), /Creados2/);
    await shot('2-preview.png');

    // Submit → progress → result
    await page.click('#importButton');
    await page.waitForSelector('#progress:not([hidden])');
    await page.waitForFunction(() => /de 3 filas/.test(document.getElementById('progressText').textContent));
    await shot('3-progress.png');
    assert.equal(await buttons(), buttonsBefore);
    await page.waitForSelector('#result:not([hidden])', { timeout: 15000 });
    assert.equal(await page.textContent('#resultTitle'), 'Importación terminada');
    assert.match(await page.textContent('#resultCounts'), /Actualizados1/);
    assert.equal(await page.getAttribute('#errorFile', 'href'), 'https://storage.test/errors.xlsx');
    assert.equal(await page.textContent('#writeBack'), 'El estado de cada fila está en la columna E.');
    await shot('4-result.png');

    const calls = await page.evaluate(() => window.__calls);
    const submitted = calls.find(([name]) => name === 'submitImport')[1][0];
    assert.deepEqual(submitted.mapping, { Nombre: 'full_name', Correo: 'email', Celular: null, Origen: 'source', Comentario: 'tags' });
    assert.deepEqual(submitted.defaults, { source: 'Feria' });
    assert.deepEqual(submitted.matchOn, ['email', 'phone']);
    assert.equal(submitted.headerRow, 2);
    assert.equal(submitted.all, false);

    // Undo from the result
    await page.click('#undo');
    await page.waitForFunction(() => /Deshecha/.test(document.getElementById('message').textContent));
    assert.equal(await page.isVisible('#undo'), false);
    assert.match(await page.textContent('#historyList'), /Feria 2026 - Feria/);
    await shot('5-undone.png');

    assert.deepEqual(external, ['https://ssl.gstatic.com/docs/script/css/add-ons1.css']); // only Google's add-on styles
  } finally {
    await browser.close();
  }
});
