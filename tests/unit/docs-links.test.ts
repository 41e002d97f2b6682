import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * README.md, CHANGELOG.md and docs/ stand alone in a clone: every relative link resolves to a file
 * of the repository (and a `#fragment` to a heading of it), none leaves the repository, and the
 * docs never link into the code under shared/ (they say what it does; file names go in code spans).
 */

const root = fileURLToPath(new URL('../../', import.meta.url));

function markdownFiles(folder: string): string[] {
  return readdirSync(join(root, folder), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? markdownFiles(join(folder, entry.name)) : entry.name.endsWith('.md') ? [join(folder, entry.name)] : [],
  );
}

const documents = ['README.md', 'CHANGELOG.md', ...markdownFiles('docs')];

/** The text a reader sees as markdown: code blocks and code spans removed, where `](` is not a link. */
const withoutCode = (text: string) => text.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');

/** Link and image targets: `[text](target)`, `![alt](target "title")`, `<img src="target">`, `<a href="target">`. */
function linkTargets(markdown: string): string[] {
  const text = withoutCode(markdown);
  return [
    ...[...text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((match) => match[1] ?? ''),
    ...[...text.matchAll(/<(?:img|a)\b[^>]*\b(?:src|href)="([^"]+)"/g)].map((match) => match[1] ?? ''),
  ];
}

/** GitHub's anchors for a markdown file's headings (lower case, punctuation dropped, spaces to -, repeats numbered). */
function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const [, heading = ''] of withoutCode(markdown).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const slug = heading
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  // Code spans are part of a heading's anchor: read them back in for headings that have some.
  for (const [, heading = ''] of markdown.matchAll(/^#{1,6}\s+(.*`.*?)\s*$/gm)) {
    anchors.add(heading.toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-'));
  }
  return anchors;
}

/** What is wrong with `target` linked from `file`, or undefined. */
function brokenLink(file: string, target: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return undefined; // https:, mailto: … — not a file of the clone
  const [path = '', fragment] = target.split('#', 2);
  const resolved = path === '' ? join(root, file) : resolve(root, dirname(file), decodeURI(path));
  const inRepository = relative(root, resolved);
  if (inRepository.startsWith('..') || resolve(root, inRepository) !== resolved) return 'leaves the repository';
  if (file.startsWith(`docs${sep}`) && (inRepository === 'shared' || inRepository.startsWith(`shared${sep}`))) {
    return 'links into shared/ (name the file in a code span instead)';
  }
  if (!existsSync(resolved)) return 'no such file';
  if (fragment && statSync(resolved).isFile() && resolved.endsWith('.md') && !headingAnchors(readFileSync(resolved, 'utf8')).has(decodeURIComponent(fragment).toLowerCase())) {
    return `no heading #${fragment}`;
  }
  return undefined;
}

describe('links in README.md, CHANGELOG.md and docs/', () => {
  it('finds the markdown files (docs/index.md is the map)', () => {
    expect(documents).toContain(join('docs', 'index.md'));
    expect(documents.length).toBeGreaterThan(15);
  });

  it('every relative link resolves to a file (and heading) inside the repository, none into shared/', () => {
    const broken = documents.flatMap((file) =>
      linkTargets(readFileSync(join(root, file), 'utf8')).flatMap((target) => {
        const problem = brokenLink(file, target);
        return problem ? [`${file}: ${target} — ${problem}`] : [];
      }),
    );
    expect(broken).toEqual([]);
  });

  it('every file in docs/ is reachable from docs/index.md', () => {
    const reached = new Set<string>();
    const visit = (file: string) => {
      if (reached.has(file) || !file.endsWith('.md') || !existsSync(join(root, file))) return;
      reached.add(file);
      for (const target of linkTargets(readFileSync(join(root, file), 'utf8'))) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
        const [path = ''] = target.split('#', 1);
        if (path) visit(relative(root, resolve(root, dirname(file), decodeURI(path))));
      }
    };
    visit(join('docs', 'index.md'));
    expect(documents.filter((file) => file.startsWith('docs') && !reached.has(file))).toEqual([]);
  });

  it('the checks catch what they are for', () => {
    expect(linkTargets('[a](x.md) `[b](y.md)` ![c](img.png "t") <img src="z.png">\n```\n[d](w.md)\n```')).toEqual(['x.md', 'img.png', 'z.png']);
    expect(brokenLink(join('docs', 'index.md'), '../shared/zod.ts')).toMatch(/shared/);
    expect(brokenLink(join('docs', 'index.md'), '../../outside.md')).toBe('leaves the repository');
    expect(brokenLink(join('docs', 'index.md'), 'no-such-page.md')).toBe('no such file');
    expect(brokenLink('README.md', 'docs/index.md#no-such-heading')).toBe('no heading #no-such-heading');
    expect(headingAnchors('## Quotas, caps and destinations\n## STOP and AWS’s opt-out list\n## A\n## A')).toEqual(
      new Set(['quotas-caps-and-destinations', 'stop-and-awss-opt-out-list', 'a', 'a-1']),
    );
  });
});
