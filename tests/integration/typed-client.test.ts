import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIntegration } from '../../client/examples/integration';
import { startTestTwin, type TestTwin } from '../support/twin';
import { eventually } from '../support/waiting';

/**
 * client/examples/integration.ts, the example integrators read (docs/quick-start.md), proved two
 * ways: it compiles under `tsc --strict` in a browser's setting (the DOM's fetch, no Node types)
 * with no cast, no `!` and no `any` — so every type it uses came from the generated client — and
 * it runs against the local twin, whose answers the twin checks against the same document.
 */

const examplePath = fileURLToPath(new URL('../../client/examples/integration.ts', import.meta.url));

/** Casts, non-null assertions and `any` in a file, as `file:line: what`. */
function untypedSpots(sourceFile: ts.SourceFile): string[] {
  const spots: string[] = [];
  const visit = (node: ts.Node) => {
    const what = ts.isAsExpression(node)
      ? `\`as\` cast`
      : ts.isTypeAssertionExpression(node)
        ? '<T> cast'
        : ts.isNonNullExpression(node)
          ? 'non-null assertion (!)'
          : node.kind === ts.SyntaxKind.AnyKeyword
            ? '`any`'
            : undefined;
    if (what) spots.push(`${sourceFile.fileName}:${sourceFile.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${what}`);
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return spots;
}

function compileStrictly(rootFile: string) {
  const program = ts.createProgram([rootFile], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2023,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2023.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
    types: [],
    noUncheckedIndexedAccess: true,
    skipLibCheck: true,
  });
  const diagnostics = ts.getPreEmitDiagnostics(program).map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
  return { program, diagnostics };
}

describe('the example integration (client/examples/integration.ts)', () => {
  it('compiles under tsc --strict without Node types, with no cast, no ! and no any', () => {
    const { program, diagnostics } = compileStrictly(examplePath);
    expect(diagnostics).toEqual([]);
    const example = program.getSourceFile(examplePath);
    expect(example).toBeDefined();
    if (example) expect(untypedSpots(example)).toEqual([]);
  }, 60_000);

  it('the check finds casts, ! and any where they are', () => {
    const source = ts.createSourceFile('sample.ts', 'const a = (b as unknown)!; let c: any; const d = <string>e;', ts.ScriptTarget.ES2023, true);
    expect(untypedSpots(source).map((spot) => spot.replace(/^sample\.ts:1: /, '')).sort()).toEqual(['<T> cast', '`any`', '`as` cast', 'non-null assertion (!)']);
  });
});

describe('the example integration against the local twin', () => {
  let twin: TestTwin;
  let receiver: Server;
  const delivered: { path: string; body: { type?: string; data?: { caseId?: string } } }[] = [];

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        delivered.push({ path: request.url ?? '/', body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    twin = await startTestTwin({ webhookReceiverPorts: [(receiver.address() as AddressInfo).port] });
  });
  afterAll(async () => {
    await twin?.close();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  it('signs a business up and does its day’s work, every answer as the document declares', async () => {
    const webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/switchboard`;
    const result = await runIntegration({ baseUrl: twin.url, operatorKey: twin.operatorKey, webhookUrl, runId: 'typed-client' });

    expect(result.tenant.timezone).toBe('Asia/Taipei');
    expect(result.customers.map((customer) => customer.phone)).toEqual(['+886912345678', '+886912345679', '+886912345680']);
    expect(result.retriedCustomerId).toBe(result.customers[0]?.customerId);
    expect(result.updatedCustomer.tags).toEqual(['vip']);
    expect(result.closedContact.status).toBe('closed');
    expect(result.survey).toMatchObject({ status: 'sent', origin: 'ad-hoc', contactId: result.closedContact.contactId });
    expect(result.survey.linkPath).toMatch(/^\/s\/./);
    expect((await fetch(`${twin.url}${result.survey.linkPath}`)).status).toBe(200);
    expect(result.caseAfterEvents.status).toBe('resolved');
    expect(result.webhook.eventTypes).toEqual(['Contact Closed', 'Case Resolved']);
    expect(result.analytics.metrics.contacts.handled).toBe(1);
    expect(result.analytics.groups?.map((group) => group.value)).toEqual(['billing']);
    // Three customers two a page: two pages, each customer once.
    expect(result.pages).toBe(2);
    expect([...result.pagedCustomerIds].sort()).toEqual(result.customers.map((customer) => customer.customerId).sort());
    // fetch's text() decodes UTF-8 and drops the byte order mark; a header row, then the one contact.
    expect(result.contactsCsv.trimEnd().split('\r\n')).toHaveLength(2);
    expect(result.contactsCsv).toContain(result.closedContact.contactId);

    // The webhook it registered receives the case's resolution (events after the registration).
    const resolution = await eventually(
      () => delivered.find((delivery) => delivery.body.type === 'Case Resolved'),
      'the webhook delivery of Case Resolved',
      10_000,
    );
    expect(resolution.path).toBe('/switchboard');
    expect(resolution.body.data?.caseId).toBe(result.caseAfterEvents.caseId);
  }, 60_000);
});
