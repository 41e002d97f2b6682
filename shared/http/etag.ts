import { preconditionFailed, preconditionRequired } from './problem';

export const etagOf = (version: number) => `"${version}"`;

/** The version named by If-Match (`"3"` or `W/"3"`), `*` for any, or undefined when absent. */
function ifMatchVersion(header: string | undefined): number | '*' | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  if (value === '*') return '*';
  const match = /^(?:W\/)?"(\d{1,15})"$/.exec(value);
  if (!match) throw preconditionFailed('If-Match must be an ETag from a previous read, like "3"');
  return Number(match[1]);
}

/** Refuses an update whose If-Match does not name the current version. */
export function requireIfMatch(header: string | undefined, currentVersion: number): void {
  const expected = ifMatchVersion(header);
  if (expected === undefined) throw preconditionRequired('Send If-Match with the ETag of the version you read');
  if (expected !== '*' && expected !== currentVersion) {
    throw preconditionFailed(`The resource has changed (now at ${etagOf(currentVersion)}); read it again`);
  }
}

/** Like requireIfMatch, but If-Match is optional. */
export function checkOptionalIfMatch(header: string | undefined, currentVersion: number): void {
  if (header !== undefined) requireIfMatch(header, currentVersion);
}
