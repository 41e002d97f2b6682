import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ProblemSlug, problemMembers, problemSlugs, problemType, problemTypeUri } from '../../shared/http/problem-types';

/**
 * docs/problems.md, generated from the problem-type catalog (shared/http/problem-types.ts):
 * `npx tsx infra/tools/problems-doc.ts` writes it; tests/unit/problems-doc.test.ts fails when it
 * is out of date.
 */
export const problemsDocFile = fileURLToPath(new URL('../../docs/problems.md', import.meta.url));

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

function membersOf(slug: ProblemSlug): string {
  const members = problemMembers(slug);
  if (members.length === 0) return '—';
  return members
    .map((member) => `\`${member.name}\`${member.required ? '' : ' (optional)'}: ${member.shape}${member.description ? `. ${member.description}` : ''}`)
    .join('; ');
}

function table(slugs: ProblemSlug[]): string[] {
  const bySlugWithinStatus = [...slugs].sort((a, b) => problemType(a).status - problemType(b).status || a.localeCompare(b));
  return [
    '| Type | Status | Title | Meaning | Members |',
    '| --- | --- | --- | --- | --- |',
    ...bySlugWithinStatus.map((slug) => {
      const { status, title, meaning } = problemType(slug);
      return `| \`${problemTypeUri(slug)}\` | ${status} | ${cell(title)} | ${cell(meaning)} | ${cell(membersOf(slug))} |`;
    }),
  ];
}

export function problemsMarkdown(): string {
  const deployed = problemSlugs.filter((slug) => !problemType(slug).localTwinOnly);
  const twinOnly = problemSlugs.filter((slug) => problemType(slug).localTwinOnly);
  return [
    '<!-- Generated from shared/http/problem-types.ts by `npx tsx infra/tools/problems-doc.ts`; do not edit by hand. -->',
    '',
    '# Problem types',
    '',
    'Every error the API answers is `application/problem+json` (RFC 9457):',
    '',
    '```json',
    '{',
    '  "type": "/problems/duplicate-customer",',
    '  "title": "Conflict",',
    '  "status": 409,',
    '  "detail": "Another customer (cus_01J…) already has this phone",',
    '  "instance": "/v1/customers",',
    '  "existingCustomerId": "cus_01J…",',
    '  "field": "phone"',
    '}',
    '```',
    '',
    '- `type` names the problem type. It is a relative reference, `/problems/<slug>`: resolved against',
    '  the URL of the request (RFC 9457 §3.1.1) it is a page of the same API that explains the type',
    '  (`GET /problems/<slug>`, HTML, no credential). Act on `type` (or its slug), not on `title`.',
    '- `title` and `status` are fixed for the type; `detail` says what happened this time, for a person;',
    '  `instance` is the path of the request.',
    '- Some types carry extension members (below), e.g. `errors`: each invalid field with its JSON',
    '  `path` (`$.phone`, `query.to`) and a `message`.',
    '- Which operation answers which types, at which status, is in the OpenAPI document',
    '  (`GET /openapi.json`): each error status of an operation lists its problem types (`oneOf` by `type`).',
    '- Two answers are not problem+json: API Gateway answers a request without an `Authorization`',
    '  header `401 {"message":"Unauthorized"}` before Switchboard sees it, and the edge (WAF) sends its',
    '  `401 unauthorized` and `429 too-many-requests` problems as `application/json`.',
    '',
    '## The catalog',
    '',
    ...table(deployed),
    '',
    '## Answered only by the local twin',
    '',
    'The local twin (`npm start`, and the tests) answers these too; a deployment never does.',
    '',
    ...table(twinOnly),
    '',
  ].join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(problemsDocFile, problemsMarkdown());
}
