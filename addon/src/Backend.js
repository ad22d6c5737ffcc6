/**
 * Calls to Lead Import's HTTP functions, signed in as the person using the sheet.
 *
 * Each call carries the user's Google ID token (ScriptApp.getIdentityToken, audience = this
 * script's OAuth client): the backend takes the tenant from that verified identity, never from
 * anything the add-on says.
 */

const BACKEND_RETRIES = 3;

/** The backend's base URL, from Deployment.js, which deploy.js makes with the manifest's urlFetchWhitelist. */
function backendUrl_() {
  const url = typeof DEPLOYMENT === 'undefined' ? '' : DEPLOYMENT.backendUrl;
  if (!url) {
    throw new Error('Lead Import is not configured: push it built with its backend URL (npm run build, see addon/README.md).');
  }
  return url;
}

/** POST a JSON body to one function; returns its JSON answer or throws its message. */
function callBackend_(name, body) {
  const request = {
    method: 'post',
    contentType: 'application/json',
    payload: JSON.stringify(body || {}),
    headers: { Authorization: 'Bearer ' + ScriptApp.getIdentityToken() },
    muteHttpExceptions: true,
  };
  let response = null;
  for (let attempt = 1; attempt <= BACKEND_RETRIES; attempt++) {
    response = UrlFetchApp.fetch(backendUrl_() + '/' + name, request);
    const code = response.getResponseCode();
    if (code !== 429 && code < 500) break;
    if (attempt < BACKEND_RETRIES) Utilities.sleep(500 * Math.pow(2, attempt - 1));
  }
  const code = response.getResponseCode();
  let answer = null;
  try {
    answer = JSON.parse(response.getContentText());
  } catch (e) {
    answer = null;
  }
  if (code >= 400) {
    const error = answer && answer.error ? answer.error : { code: 'http_' + code, message: 'Lead Import answered ' + code };
    const failure = new Error(error.message);
    failure.code = error.code;
    throw failure;
  }
  return answer;
}

/** PUT the file (a Blob: sent as it is, never copied into a script array) to the signed URL start_import
 * gave, straight into the drop bucket. */
function uploadToSignedUrl_(upload, content) {
  const headers = Object.assign({}, upload.headers);
  const contentType = headers['Content-Type'];
  delete headers['Content-Type'];
  const response = UrlFetchApp.fetch(upload.url, {
    method: 'put',
    contentType: contentType,
    payload: content,
    headers: headers,
    muteHttpExceptions: true,
  });
  const code = response.getResponseCode();
  if (code >= 300) {
    throw new Error('The upload was refused (' + code + '): ' + response.getContentText().slice(0, 200));
  }
}
