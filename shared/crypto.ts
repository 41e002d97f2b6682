import { createHash } from 'node:crypto';

/** Hex SHA-256 of a string: how API key secrets are stored and idempotency keys are compared. */
export const sha256Hex = (value: string) => createHash('sha256').update(value).digest('hex');
