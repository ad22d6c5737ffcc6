#!/usr/bin/env node
'use strict';
/**
 * What `clasp push` sends, built from one deployment setting: the backend's base URL
 * (`terraform -chdir=../infra output -raw backend_url`). From it come both the manifest's
 * urlFetchWhitelist and the URL the add-on calls (build/Deployment.js), so the two cannot disagree.
 *
 *   node deploy.js --backend-url https://REGION-PROJECT.cloudfunctions.net [--out build]
 *   (or LEADIMPORT_BACKEND_URL=… node deploy.js), then `clasp push` with "rootDir": "build".
 *
 * src/ holds no deployment's value: pushing src/ itself gives an add-on that says it is not configured.
 */

const fs = require('node:fs');
const path = require('node:path');

const SIGNED_UPLOADS = 'https://storage.googleapis.com/'; // start_import's signed URLs: the drop bucket
const SRC = path.join(__dirname, 'src');

/** The base URL, checked: https, no credentials, query or fragment; no trailing slash. */
function backendUrl(raw) {
  let url;
  try {
    url = new URL(String(raw || '').trim());
  } catch (error) {
    throw new Error(`The backend URL ${JSON.stringify(raw)} is not a URL: give the infra output backend_url.`);
  }
  if (url.protocol !== 'https:' || url.username || url.password || url.search || url.hash) {
    throw new Error(`The backend URL must be a plain https:// address (given ${JSON.stringify(raw)}).`);
  }
  return url.origin + url.pathname.replace(/\/+$/, '');
}

/** Copy src/ to `out`, with the manifest's whitelist and Deployment.js made from `base`. */
function build(base, out, src = SRC) {
  const url = backendUrl(base);
  const manifest = JSON.parse(fs.readFileSync(path.join(src, 'appsscript.json'), 'utf8'));
  if (manifest.addOns) throw new Error('src/appsscript.json has an addOns block: an Editor add-on must not.');
  manifest.urlFetchWhitelist = [url + '/', SIGNED_UPLOADS];
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  for (const file of fs.readdirSync(src)) fs.copyFileSync(path.join(src, file), path.join(out, file));
  fs.writeFileSync(path.join(out, 'appsscript.json'), JSON.stringify(manifest, null, 2) + '\n');
  fs.writeFileSync(path.join(out, 'Deployment.js'), '// Made by deploy.js from the backend URL; not edited by hand.\n' +
    `const DEPLOYMENT = Object.freeze({ backendUrl: ${JSON.stringify(url)} });\n`);
  return { backendUrl: url, manifest };
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const option = (name) => (args.indexOf(name) >= 0 ? args[args.indexOf(name) + 1] : undefined);
  const out = path.resolve(option('--out') || path.join(__dirname, 'build'));
  try {
    const built = build(option('--backend-url') || process.env.LEADIMPORT_BACKEND_URL, out);
    console.log(`built ${out}: the add-on calls ${built.backendUrl}, and may fetch only ${built.manifest.urlFetchWhitelist.join(' and ')}`);
  } catch (error) {
    console.error(error.message);
    process.exit(2);
  }
}

module.exports = { SIGNED_UPLOADS, backendUrl, build };
