import { preconditionFailed, preconditionRequired } from './problem';

export const etagOf = (version: number) => `"${version}"`;

/** An If-Match the service understands: `*`, or an ETag it made (`"3"`, or weak `W/"3"`), versions of at most 15 digits. */
export const ifMatchPattern = /^(?:\*|(?:W\/)?"(\d{1,15})")$/;
/** The longest such If-Match: `W/"` and 15 digits and `"`. */
export const ifMatchMaxLength = 20;

/** The version named by If-Match (`"3"` or `W/"3"`), `*` for any, or undefined when absent. */
function ifMatchVersion(header: string | undefined): number | '*' | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  const match = ifMatchPattern.exec(value);
  if (!match) throw preconditionFailed('If-Match must be an ETag from a previous read, like "3"');
  return match[1] === undefined ? '*' : Number(match[1]);
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
