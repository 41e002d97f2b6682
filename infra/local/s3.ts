import type { IncomingHttpHeaders, ServerResponse } from 'node:http';

/**
 * The twin's Amazon S3, as far as Switchboard uses it: PutObject, GetObject and DeleteObject, path-style
 * (`/<bucket>/<key>`, the S3 client with forcePathStyle), on the buckets it is told about, so that
 * shared/ports/object-store.ts runs unchanged against it; and a presigned GET a browser can open:
 * it answers within the link's X-Amz-Expires, with the `response-content-type` and
 * `response-content-disposition` the link asks for, to any origin (the console fetches it).
 *
 * Simplifications: objects are kept in memory (gone when the twin stops); signatures are not
 * checked, only a presigned link's expiry; no versions, lists or multipart uploads. A
 * delete of a missing key answers 204, as S3's does.
 */

interface StoredObject {
  body: Buffer;
  contentType: string;
  lastModified: Date;
}

export class LocalS3 {
  private readonly buckets = new Map<string, Map<string, StoredObject>>();
  /** For fault tests: GetObject answers 500 InternalError while this is above zero, and counts down per request. */
  failingReads = 0;

  constructor(bucketNames: readonly string[], private readonly now: () => Date = () => new Date()) {
    for (const name of bucketNames) this.buckets.set(name, new Map());
  }

  put(bucket: string, key: string, body: Buffer, contentType = 'application/octet-stream'): void {
    const objects = this.buckets.get(bucket);
    if (!objects) throw new Error(`The twin has no bucket ${bucket}`);
    objects.set(key, { body, contentType, lastModified: new Date() });
  }

  get(bucket: string, key: string): StoredObject | undefined {
    return this.buckets.get(bucket)?.get(key);
  }

  /** Whether the object was there. */
  delete(bucket: string, key: string): boolean {
    return this.buckets.get(bucket)?.delete(key) ?? false;
  }

  /** The keys of a bucket under a prefix, for tests. */
  keys(bucket: string, prefix = ''): string[] {
    return [...(this.buckets.get(bucket)?.keys() ?? [])].filter((key) => key.startsWith(prefix));
  }

  /** Whether `path` is in one of the twin's buckets. */
  serves(path: string): boolean {
    return this.buckets.has(decodeURIComponent(path.split('/')[1] ?? ''));
  }

  serve(method: string, url: URL, body: Buffer, headers: IncomingHttpHeaders, response: ServerResponse): void {
    const [, bucketPart = '', ...keyParts] = url.pathname.split('/');
    const bucket = decodeURIComponent(bucketPart);
    const key = keyParts.map(decodeURIComponent).join('/');
    if (key === '') return sendError(response, 405, 'MethodNotAllowed', 'The twin serves objects only, not bucket operations');
    if (method === 'PUT') {
      const content = headers['content-encoding']?.includes('aws-chunked') ? decodeAwsChunked(body) : body;
      this.put(bucket, key, content, headers['content-type'] ?? 'application/octet-stream');
      response.writeHead(200, { etag: `"${content.length.toString(16)}"`, 'content-length': 0 });
      response.end();
      return;
    }
    if (method === 'DELETE') {
      if (!this.buckets.has(bucket)) return sendError(response, 404, 'NoSuchBucket', 'The specified bucket does not exist');
      this.delete(bucket, key);
      response.writeHead(204);
      response.end();
      return;
    }
    if (method !== 'GET' && method !== 'HEAD') return sendError(response, 405, 'MethodNotAllowed', `The twin does not emulate ${method} on objects`);
    const expired = presignedLinkExpired(url.searchParams, this.now());
    if (expired) return sendError(response, 403, 'AccessDenied', 'Request has expired');
    if (this.failingReads > 0) {
      this.failingReads--;
      return sendError(response, 500, 'InternalError', 'Simulated S3 failure');
    }
    const object = this.get(bucket, key);
    if (!object) return sendError(response, 404, 'NoSuchKey', 'The specified key does not exist.');
    const disposition = url.searchParams.get('response-content-disposition');
    response.writeHead(200, {
      'content-type': url.searchParams.get('response-content-type') ?? object.contentType,
      'content-length': object.body.length,
      'last-modified': object.lastModified.toUTCString(),
      ...(disposition && { 'content-disposition': disposition }),
      'access-control-allow-origin': '*',
      'cache-control': 'no-store',
    });
    response.end(method === 'HEAD' ? undefined : object.body);
  }
}

/** True when the query is a presigned link's (X-Amz-Date, X-Amz-Expires) and its time is over. */
function presignedLinkExpired(query: URLSearchParams, now: Date): boolean {
  const date = query.get('X-Amz-Date');
  const expires = Number(query.get('X-Amz-Expires'));
  if (!date || !Number.isFinite(expires)) return false;
  const signedAt = Date.parse(date.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
  return !Number.isFinite(signedAt) || now.getTime() > signedAt + expires * 1000;
}

/** The payload of `Content-Encoding: aws-chunked` (`<hex size>[;chunk-signature=…]\r\n<bytes>\r\n`…, then trailers). */
function decodeAwsChunked(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  while (at < body.length) {
    const lineEnd = body.indexOf('\r\n', at);
    if (lineEnd < 0) break;
    const size = Number.parseInt(body.subarray(at, lineEnd).toString('latin1').split(';')[0]!, 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

/** S3's REST XML error: the SDK takes the error's name from Code. */
function sendError(response: ServerResponse, status: number, code: string, message: string): void {
  const text = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
  response.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(text), 'access-control-allow-origin': '*' });
  response.end(text);
}
