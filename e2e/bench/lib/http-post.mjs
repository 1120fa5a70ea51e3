import { Agent, request } from 'node:http';

const REQUEST_TIMEOUT_MS = 10_000;

/**
 * A JSON POST client for one server over a pool of keep-alive connections (node:http: far less
 * CPU per request than fetch, which matters when the load generator shares 2 cores with the server).
 */
export function jsonPoster(baseUrl, maxSockets) {
  const agent = new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  const { hostname, port } = new URL(baseUrl);
  const post = (path, body, headers = {}) =>
    new Promise((resolve, reject) => {
      const data = Buffer.from(JSON.stringify(body));
      const req = request(
        {
          agent,
          hostname,
          port,
          path,
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': data.length, ...headers },
          timeout: REQUEST_TIMEOUT_MS,
        },
        (res) => {
          const chunks = [];
          res.on('data', (chunk) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no response within ${REQUEST_TIMEOUT_MS / 1000} s`)));
      req.on('error', reject);
      req.end(data);
    });
  return { post, close: () => agent.destroy() };
}

/** Parses a JSON response body; throws with the status and the start of the body when it is not 200 JSON. */
export function parseOk({ status, text }) {
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`HTTP ${status}, not JSON: ${text.slice(0, 200)}`);
  }
  if (status !== 200) throw new Error(`HTTP ${status}: ${text.slice(0, 300)}`);
  return body;
}
