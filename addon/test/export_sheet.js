'use strict';
// The upload the add-on's own code makes of a sheet, for the backend's contract test
// (tests/unit/test_sheet_contract.py): reads {timeZone, rows, extras, settings} as JSON on stdin, where a
// date cell is {"$date": "<ISO instant>"}, runs submitImport against the Apps Script fakes, and prints
// {"csv": <the bytes PUT to the signed URL, as text>, "result": <what submitImport returned>}.

const { FakeSheet, FakeSpreadsheet, load } = require('./fakes');

const input = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
const revive = (value) => (value && typeof value === 'object' && '$date' in value ? new Date(value.$date) : value);
const sheet = new FakeSheet(1, 'Leads', input.rows.map((row) => row.map(revive)), input.extras || {});
const started = { job_id: 'contract00001', status: 'awaiting_upload', sheet_stamp: { key: 'leadimport-job-contract00001', value: 's' },
  upload: { url: 'https://storage.test/drop/uploads/t/contract00001/x.csv', method: 'PUT', headers: { 'Content-Type': 'text/csv' } } };
const { addon, urlFetch } = load({
  spreadsheet: new FakeSpreadsheet([sheet], { timeZone: input.timeZone }),
  respond: (url) => ({ code: 200, body: url.endsWith('/start_import') ? started : '{}' }),
});
const result = addon.submitImport(Object.assign({ sheetId: 1 }, input.settings));
const put = urlFetch.requests.find((r) => r.params.method === 'put');
process.stdout.write(JSON.stringify({ csv: put.params.payload.getDataAsString(), result: JSON.parse(JSON.stringify(result)) }));
