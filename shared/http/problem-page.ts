import { createHash } from 'node:crypto';
import { type ProblemSlug, problemMembers, problemType, problemTypeUri } from './problem-types';
import { escapeHtml } from './survey-page';

/**
 * The page a problem's `type` names (GET /problems/{slug}): what the problem type means for an
 * integrator, its status and title, and its extension members, from the catalog
 * (./problem-types.ts). Static HTML, no script; its one style element is allowed by its hash.
 */

const style =
  'body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}' +
  'code{background:#f1f1f1;padding:0 .2em;border-radius:3px}table{border-collapse:collapse}' +
  'th,td{text-align:left;vertical-align:top;padding:.3rem .8rem .3rem 0;border-bottom:1px solid #ddd}';

export const problemPageHeaders = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': `default-src 'none'; style-src 'sha256-${createHash('sha256').update(style).digest('base64')}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'public, max-age=300',
} as const;

/** `text` as HTML, with `code` in backticks shown as code. */
const prose = (text: string) => escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');

export function problemPage(slug: ProblemSlug): string {
  const declaration = problemType(slug);
  const members = problemMembers(slug);
  const memberRows = members
    .map(
      (member) =>
        `<tr><td><code>${escapeHtml(member.name)}</code></td><td>${escapeHtml(member.shape)}</td><td>${member.required ? 'always' : 'sometimes'}</td><td>${prose(member.description)}</td></tr>`,
    )
    .join('');
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(declaration.title)} (${escapeHtml(slug)}) · Switchboard API problem</title>`,
    `<style>${style}</style>`,
    '</head>',
    '<body>',
    `<p>Switchboard API · problem type <code>${escapeHtml(problemTypeUri(slug))}</code></p>`,
    `<h1>${escapeHtml(slug)}</h1>`,
    `<p><strong>${declaration.status}</strong> · ${escapeHtml(declaration.title)}</p>`,
    `<p>${prose(declaration.meaning)}</p>`,
    ...(declaration.localTwinOnly ? ['<p>Answered only by the local twin, never by a deployment.</p>'] : []),
    '<h2>Members</h2>',
    '<p>Every problem has <code>type</code>, <code>title</code> and <code>status</code>, and may have <code>detail</code> (this occurrence) and <code>instance</code> (the request path) (RFC 9457).</p>',
    members.length > 0
      ? `<p>This type adds:</p><table><thead><tr><th>Member</th><th>Shape</th><th>Present</th><th>Meaning</th></tr></thead><tbody>${memberRows}</tbody></table>`
      : '<p>This type adds none.</p>',
    '<p><a href="/openapi.json">The OpenAPI document</a> says which operations answer it.</p>',
    '</body>',
    '</html>',
  ].join('\n');
}
