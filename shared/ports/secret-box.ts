import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DecryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';

/**
 * Envelope encryption of the few secrets Switchboard must be able to read back (webhook signing
 * secrets): each secret is encrypted with AES-256-GCM under a fresh data key, and the data key is
 * stored only encrypted under a master key (a KMS key in AWS: GenerateDataKey to seal, Decrypt to
 * open; in the local twin a key generated when it starts). The sealed text binds the context it
 * was sealed with (tenant and resource ids) as additional authenticated data, so a sealed secret
 * copied onto another item does not open. Who may open is decided by who may use the master key:
 * in AWS only the delivery functions are granted kms:Decrypt.
 */
export interface MasterKey {
  /** A new 32-byte data key, in plain and encrypted under the master key. */
  generateDataKey(context: Record<string, string>): Promise<{ plaintext: Buffer; encrypted: Buffer }>;
  decryptDataKey(encrypted: Buffer, context: Record<string, string>): Promise<Buffer>;
}

/** `sb1.<encrypted data key>.<iv>.<ciphertext>.<tag>`, each part base64url. */
const version = 'sb1';

export async function sealSecret(plaintext: string, context: Record<string, string>, master: MasterKey = configuredMasterKey()): Promise<string> {
  const dataKey = await master.generateDataKey(context);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', dataKey.plaintext, iv);
  cipher.setAAD(additionalData(context));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  dataKey.plaintext.fill(0);
  return [version, dataKey.encrypted, iv, ciphertext, cipher.getAuthTag()].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
}

export async function openSecret(sealed: string, context: Record<string, string>, master: MasterKey = configuredMasterKey()): Promise<string> {
  const [tag, encryptedKey, iv, ciphertext, authTag, ...rest] = sealed.split('.');
  if (tag !== version || !encryptedKey || !iv || !ciphertext || !authTag || rest.length > 0) throw new Error('Not a sealed secret');
  const dataKey = await master.decryptDataKey(Buffer.from(encryptedKey, 'base64url'), context);
  try {
    const decipher = createDecipheriv('aes-256-gcm', dataKey, Buffer.from(iv, 'base64url'));
    decipher.setAAD(additionalData(context));
    decipher.setAuthTag(Buffer.from(authTag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  } finally {
    dataKey.fill(0);
  }
}

/** The context in a stable order, so that sealing and opening agree whatever order the caller wrote it in. */
const additionalData = (context: Record<string, string>) =>
  Buffer.from(JSON.stringify(Object.keys(context).sort().map((name) => [name, context[name]])), 'utf8');

/**
 * A master key held in memory, as the local twin uses (SECRET_BOX_LOCAL_KEY, 32 bytes base64,
 * generated when the twin starts): data keys are wrapped with AES-256-GCM under it.
 */
export function localMasterKey(key: Buffer): MasterKey {
  if (key.length !== 32) throw new Error('The local master key must be 32 bytes');
  return {
    async generateDataKey(context) {
      const plaintext = randomBytes(32);
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(additionalData(context));
      const wrapped = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      return { plaintext, encrypted: Buffer.concat([iv, cipher.getAuthTag(), wrapped]) };
    },
    async decryptDataKey(encrypted, context) {
      const decipher = createDecipheriv('aes-256-gcm', key, encrypted.subarray(0, 12));
      decipher.setAAD(additionalData(context));
      decipher.setAuthTag(encrypted.subarray(12, 28));
      return Buffer.concat([decipher.update(encrypted.subarray(28)), decipher.final()]);
    },
  };
}

/**
 * A KMS key as the master key: GenerateDataKey to seal, Decrypt to open, each with the context as
 * KMS's encryption context, so that CloudTrail records which tenant and webhook a key was used for
 * and a data key decrypts only under the context it was made for.
 */
export function kmsMasterKey(keyId: string, kms: Pick<KMSClient, 'send'> = new KMSClient({})): MasterKey {
  return {
    async generateDataKey(context) {
      const answer = await kms.send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256', EncryptionContext: context }));
      if (!answer.Plaintext || !answer.CiphertextBlob) throw new Error('KMS GenerateDataKey answered without a data key');
      return { plaintext: Buffer.from(answer.Plaintext), encrypted: Buffer.from(answer.CiphertextBlob) };
    },
    async decryptDataKey(encrypted, context) {
      const answer = await kms.send(new DecryptCommand({ KeyId: keyId, CiphertextBlob: encrypted, EncryptionContext: context }));
      if (!answer.Plaintext) throw new Error('KMS Decrypt answered without the data key');
      return Buffer.from(answer.Plaintext);
    },
  };
}

let configured: MasterKey | undefined;

/**
 * The master key this environment is configured with: the KMS key named by SECRET_BOX_KMS_KEY_ID
 * in AWS, the twin's in-memory key (SECRET_BOX_LOCAL_KEY) locally. Without either it refuses to
 * seal or open rather than store a secret in plain.
 */
function configuredMasterKey(): MasterKey {
  if (configured) return configured;
  const local = process.env.SECRET_BOX_LOCAL_KEY;
  if (local) return (configured = localMasterKey(Buffer.from(local, 'base64')));
  const kmsKeyId = process.env.SECRET_BOX_KMS_KEY_ID;
  if (kmsKeyId) return (configured = kmsMasterKey(kmsKeyId));
  throw new Error('No master key is configured for sealed secrets (SECRET_BOX_LOCAL_KEY or SECRET_BOX_KMS_KEY_ID)');
}
