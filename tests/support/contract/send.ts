import { request as httpRequest } from 'node:http';
import type { Answer } from './document';

/** A request as the contract test sends it: the body as raw text, every header as given. */
export interface ContractRequest {
  /** Path with its query, e.g. `/v1/customers?limit=1`. */
  path: string;
  /** Sent as `Authorization: Bearer <key>`; no credential when undefined. */
  key?: string;
  /** A string is sent as it is (with `contentType`); anything else as JSON. */
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
  /** The loopback address to send from (127.0.0.0/8): another client as far as the twin can tell. */
  fromAddress?: string;
}

/** Sends one request to the twin over HTTP and reads the whole answer as text. */
export function send(baseUrl: string, method: string, request: ContractRequest): Promise<Answer> {
  const url = new URL(request.path, baseUrl);
  const headers: Record<string, string> = {};
  if (request.key !== undefined) headers.authorization = `Bearer ${request.key}`;
  let payload: string | undefined;
  if (typeof request.body === 'string') {
    payload = request.body;
    if (request.contentType) headers['content-type'] = request.contentType;
  } else if (request.body !== undefined) {
    payload = JSON.stringify(request.body);
    headers['content-type'] = request.contentType ?? 'application/json';
  }
  if (payload !== undefined) headers['content-length'] = String(Buffer.byteLength(payload));
  Object.assign(headers, request.headers);
  return sendOnce(url, method, headers, payload, request.fromAddress).catch((error: unknown) => {
    // The twin answers an oversized body (413) as soon as it has read the headers and then drops
    // the connection, which may reset it under the body still being written: once more, then fail.
    if ((error as NodeJS.ErrnoException).code !== 'ECONNRESET' && (error as NodeJS.ErrnoException).code !== 'EPIPE') throw error;
    return sendOnce(url, method, headers, payload, request.fromAddress);
  });
}

function sendOnce(url: URL, method: string, headers: Record<string, string>, payload: string | undefined, fromAddress: string | undefined): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let answer: Answer | undefined;
    const chunks: Buffer[] = [];
    const finish = () => resolve({ ...answer!, text: Buffer.concat(chunks).toString('utf8') });
    const outgoing = httpRequest(
      { host: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, method, headers, ...(fromAddress && { localAddress: fromAddress }) },
      (response) => {
        const answerHeaders: Record<string, string> = {};
        for (const [name, value] of Object.entries(response.headers)) if (value !== undefined) answerHeaders[name] = Array.isArray(value) ? value.join(', ') : value;
        answer = { status: response.statusCode ?? 0, headers: answerHeaders, text: '' };
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', finish);
      },
    );
    // A reset after the answer arrived leaves the answer as it was read.
    outgoing.on('error', (error) => (answer ? finish() : reject(error)));
    outgoing.end(payload);
  });
}
