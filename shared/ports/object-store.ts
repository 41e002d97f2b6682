import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SignatureV4 } from '@smithy/signature-v4';

/**
 * The mail bucket (S3), as far as Switchboard uses it: read a stored message, keep an attachment,
 * hand a browser a short-lived link to download one, and delete both when their customer is erased. On the twin S3_ENDPOINT points at its
 * emulation (infra/local/s3.ts), addressed path-style; in AWS the bucket's own virtual host.
 */
let client: S3Client | undefined;
function s3Client(): S3Client {
  const endpoint = process.env.S3_ENDPOINT;
  client ??= new S3Client(endpoint ? { endpoint, forcePathStyle: true } : {});
  return client;
}

export async function getObject(bucket: string, key: string): Promise<Uint8Array> {
  const { Body } = await s3Client().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  if (!Body) throw new Error(`s3://${bucket}/${key} has no body`);
  return Body.transformToByteArray();
}

export async function putObject(bucket: string, key: string, body: Uint8Array, contentType: string): Promise<void> {
  await s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType, ServerSideEncryption: 'AES256' }));
}

/** Deletes the object; one already gone is no error (S3 answers 204 for a missing key too). */
export async function deleteObject(bucket: string, key: string): Promise<void> {
  await s3Client().send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
}

/**
 * A GET of the object signed for `expiresSeconds` (SigV4 in the query string, as S3's presigned
 * URLs), answering with `Content-Disposition: attachment` of `fileName` and `contentType`: the
 * browser saves the file rather than showing it on S3's origin.
 */
export async function presignedGetUrl(bucket: string, key: string, options: { expiresSeconds: number; fileName: string; contentType: string }): Promise<string> {
  const s3 = s3Client();
  const region = await s3.config.region();
  const endpoint = process.env.S3_ENDPOINT;
  const encodedKey = key.split('/').map(encodeURIComponent).join('/');
  const base = new URL(endpoint ? `${endpoint.replace(/\/+$/, '')}/${bucket}/${encodedKey}` : `https://${bucket}.s3.${region}.amazonaws.com/${encodedKey}`);
  const signer = new SignatureV4({ service: 's3', region, credentials: s3.config.credentials, sha256: s3.config.sha256, uriEscapePath: false, applyChecksum: false });
  const signed = await signer.presign(
    {
      method: 'GET',
      protocol: base.protocol,
      hostname: base.hostname,
      port: base.port ? Number(base.port) : undefined,
      path: base.pathname,
      query: {
        'response-content-disposition': contentDisposition(options.fileName),
        'response-content-type': options.contentType,
      },
      headers: { host: base.host },
    },
    { expiresIn: options.expiresSeconds },
  );
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(signed.query ?? {})) if (typeof value === 'string') query.set(name, value);
  return `${base.origin}${base.pathname}?${query.toString().replace(/\+/g, '%20')}`;
}

/** RFC 6266: an ASCII fallback name and the exact name in UTF-8 (RFC 8187). */
export function contentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
