import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allEvents } from '../../shared/events/all-events';
import { subscriptions } from '../../shared/events/subscriptions';

/**
 * docs/events.md lists the catalog (for the people who receive events) and
 * docs/developers/events.md the subscriptions; these keep them from falling behind the code.
 */

const documents = {
  'docs/events.md': readFileSync(new URL('../../docs/events.md', import.meta.url), 'utf8'),
  'docs/developers/events.md': readFileSync(new URL('../../docs/developers/events.md', import.meta.url), 'utf8'),
};

/** The body rows of the first table under a `## <title>` heading, split into trimmed cells. */
function tableRows(file: keyof typeof documents, title: string): string[][] {
  const section = documents[file].split(/^## /m).find((part) => part.startsWith(`${title}\n`));
  if (!section) throw new Error(`${file} has no "## ${title}" section`);
  const rows = section.split('\n').filter((line) => line.startsWith('|'));
  return rows.slice(2).map((row) => row.split('|').slice(1, -1).map((cell) => cell.trim()));
}

describe('the event docs', () => {
  it('lists every catalogued event with its version, and no other', () => {
    const documented = tableRows('docs/events.md', 'Catalog').map(([detailType, version]) => `${detailType} v${version}`);
    const catalogued = allEvents.map((definition) => `${definition.detailType} v${definition.schemaVersion}`);
    // On failure: add or fix the row `| <detail-type> | <version> | <description> | <data fields> |`.
    expect(documented.sort()).toEqual(catalogued.sort());
  });

  it('lists every subscription with its pattern and consumer, and no other', () => {
    const documented = tableRows('docs/developers/events.md', 'Subscriptions').map(([name, pattern, consumer]) => ({
      name: name!.replaceAll('`', ''),
      pattern: JSON.parse(pattern!.replaceAll('`', '')) as unknown,
      consumer: consumer!.replaceAll('`', ''),
    }));
    const declared = subscriptions.map(({ name, pattern, consumer }) => ({ name, pattern: JSON.parse(JSON.stringify(pattern)) as unknown, consumer }));
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
    expect(documented.sort(byName)).toEqual(declared.sort(byName));
  });
});
