import { randomBytes } from 'node:crypto';
import { DecryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { kmsMasterKey, openSecret, sealSecret } from '../../shared/ports/secret-box';

const keyId = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const context = { tenantId: 'ten_a', webhookId: 'whk_1' };

/** KMS as the API answers: a data key in plain and "encrypted" (here: tagged with the context it was made for). */
function fakeKms() {
  const kms = mockClient(KMSClient);
  const issued = new Map<string, Uint8Array>();
  kms.on(GenerateDataKeyCommand).callsFake((input) => {
    const plaintext = randomBytes(32);
    const blob = Buffer.from(`blob:${issued.size}:${JSON.stringify(input.EncryptionContext)}`);
    issued.set(blob.toString('base64'), plaintext);
    return { KeyId: input.KeyId, Plaintext: new Uint8Array(plaintext), CiphertextBlob: new Uint8Array(blob) };
  });
  kms.on(DecryptCommand).callsFake((input) => {
    const blob = Buffer.from(input.CiphertextBlob!);
    if (!blob.toString().endsWith(JSON.stringify(input.EncryptionContext))) {
      throw Object.assign(new Error('InvalidCiphertextException'), { name: 'InvalidCiphertextException' });
    }
    return { KeyId: input.KeyId, Plaintext: new Uint8Array(issued.get(blob.toString('base64'))!) };
  });
  return kms;
}

describe('the secret box with a KMS master key', () => {
  let kms: ReturnType<typeof fakeKms>;
  beforeEach(() => {
    kms = fakeKms();
  });

  it('seals with a fresh AES-256 data key from GenerateDataKey and opens with Decrypt, both under the context', async () => {
    const master = kmsMasterKey(keyId, new KMSClient({ region: 'eu-west-1' }));
    const sealed = await sealSecret('whsec_the-signing-secret', context, master);

    expect(sealed).not.toContain('whsec_the-signing-secret');
    expect(await openSecret(sealed, context, master)).toBe('whsec_the-signing-secret');

    const generated = kms.commandCalls(GenerateDataKeyCommand)[0]!.args[0].input;
    expect(generated).toEqual({ KeyId: keyId, KeySpec: 'AES_256', EncryptionContext: context });
    const decrypted = kms.commandCalls(DecryptCommand)[0]!.args[0].input;
    expect(decrypted).toMatchObject({ KeyId: keyId, EncryptionContext: context });
  });

  it('does not open a sealed secret under another context (copied onto another webhook)', async () => {
    const master = kmsMasterKey(keyId, new KMSClient({ region: 'eu-west-1' }));
    const sealed = await sealSecret('whsec_the-signing-secret', context, master);

    await expect(openSecret(sealed, { ...context, webhookId: 'whk_2' }, master)).rejects.toThrow('InvalidCiphertextException');
  });
});
