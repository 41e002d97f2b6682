import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../infra/local/dynamodb';
import { api, acmeSupport } from '../support/twin';

/**
 * The local twin as a user runs it: `npm start` in a terminal, driven with curl-like requests,
 * stopped with Ctrl-C.
 */

const operatorKey = 'op_e2e-operator-key';

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running: ChildProcess[] = [];
afterAll(() => {
  // Only if a test failed half-way: never leave a twin (and its Java) behind.
  for (const child of running) if (child.exitCode === null && child.signalCode === null) killGroup(child, 'SIGKILL');
});

/** Its own process group, as a terminal gives a foreground job, so Ctrl-C can be sent to all of it. */
function start(command: string, args: string[], env: Record<string, string>): Started {
  const child = spawn(command, args, { env: { ...process.env, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(child);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    // 'close': exited, and everything the process tree printed has been read.
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => output, exited };
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals) {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // already gone
  }
}

async function waitForOutput(started: Started, text: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!started.output().includes(text)) {
    if (started.child.exitCode !== null) throw new Error(`Exited with ${started.child.exitCode} before "${text}":\n${started.output()}`);
    if (Date.now() > deadline) throw new Error(`No "${text}" after ${timeoutMs} ms:\n${started.output()}`);
    await sleep(100);
  }
}

/** The Java process serving DynamoDB Local on this port, found the way a user would check: pgrep. */
function javaPidsOnPort(port: number): number[] {
  try {
    return execFileSync('pgrep', ['-f', `DynamoDBLocal\\.jar.* -port ${port}( |$)`], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

function dynamoPortIn(output: string): number {
  const match = /DynamoDB Local is up at http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
  if (!match) throw new Error(`No DynamoDB Local port in:\n${output}`);
  return Number(match[1]);
}

async function expectGone(pids: number[]): Promise<void> {
  const alive = () =>
    pids.filter((pid) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    });
  for (let i = 0; i < 50 && alive().length > 0; i++) await sleep(100);
  expect(alive()).toEqual([]);
}

// Each test starts Java and a twin process; a busy machine makes that take a while.
describe('npm start', { timeout: 120_000 }, () => {
  it('serves the API on DynamoDB Local, and Ctrl-C stops it all with exit code 0', async () => {
    const port = await findFreePort();
    const twin = start('npm', ['start'], { PORT: String(port), SWITCHBOARD_OPERATOR_KEY: operatorKey });
    await waitForOutput(twin, 'Switchboard local twin ready');
    const url = `http://localhost:${port}`;
    expect(twin.output()).toContain(`Authorization: Bearer ${operatorKey}`);
    expect(twin.output()).toContain(`curl -s -X POST ${url}/v1/tenants`);
    const javaPids = javaPidsOnPort(dynamoPortIn(twin.output()));
    expect(javaPids).toHaveLength(1);

    const signUp = await api(url, 'POST', '/v1/tenants', { key: operatorKey, body: acmeSupport });
    expect(signUp.status).toBe(201);
    const key: string = signUp.body.apiKey.secret;

    const tenant = await api(url, 'GET', '/v1/tenant', { key });
    expect(tenant.status).toBe(200);
    expect(tenant.body).toMatchObject({ tenantId: signUp.body.tenant.tenantId, name: 'Acme Support', defaultCountry: 'TW' });

    const settings = await api(url, 'PATCH', '/v1/settings', {
      key,
      body: { branding: { displayName: 'Acme 客服', colour: '#0055AA' } },
    });
    expect(settings.status).toBe(200);
    expect(settings.body.branding).toEqual({ displayName: 'Acme 客服', colour: '#0055AA' });

    const created = await api(url, 'POST', '/v1/customers', { key, body: { displayName: '林美玲', phone: '0912 345 678' } });
    expect(created.status).toBe(201);
    expect(created.body.phone).toBe('+886912345678');
    const customerId: string = created.body.customerId;

    const read = await api(url, 'GET', `/v1/customers/${customerId}`, { key });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ customerId, displayName: '林美玲', phone: '+886912345678' });

    const listed = await api(url, 'GET', '/v1/customers', { key });
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((customer: { customerId: string }) => customer.customerId)).toEqual([customerId]);
    const byPhone = await api(url, 'GET', `/v1/customers?phone=${encodeURIComponent('+886912345678')}`, { key });
    expect(byPhone.body.items).toHaveLength(1);

    killGroup(twin.child, 'SIGINT'); // what Ctrl-C in the terminal does
    const exit = await twin.exited;
    expect(twin.output().trimEnd()).toMatch(/Stopped\.$/);
    await expectGone(javaPids);
    await expect(fetch(url)).rejects.toThrow();
    // npm runs the script under `sh -c`, and sh dies of the Ctrl-C at once; npm then re-raises it
    // on itself. `exec` in the script lets npm wait for the twin's own exit code instead.
    expect(exit, 'npm start should exit 0 on Ctrl-C; package.json wants "start": "exec node --import tsx infra/local/start.ts"').toEqual({
      code: 0,
      signal: null,
    });
  });

  it('stops Java itself when only the twin is told to stop (SIGTERM, as a process manager does)', async () => {
    const port = await findFreePort();
    const twin = start(process.execPath, ['--import', 'tsx', 'infra/local/start.ts'], { PORT: String(port) });
    await waitForOutput(twin, 'Switchboard local twin ready');
    expect(twin.output()).toMatch(/Operator key\s+op_[A-Za-z0-9_-]{43}\s+\(generated/);
    const javaPids = javaPidsOnPort(dynamoPortIn(twin.output()));
    expect(javaPids).toHaveLength(1);

    twin.child.kill('SIGTERM'); // the twin alone; Java is not signalled
    expect(await twin.exited).toEqual({ code: 0, signal: null });
    expect(twin.output().trimEnd()).toMatch(/Stopped\.$/);
    await expectGone(javaPids);
  });

  it('leaves no Java behind even when the twin is killed outright (SIGKILL)', async () => {
    const port = await findFreePort();
    // One process, without the tsx launcher, so that the SIGKILL lands on the twin itself.
    const twin = start(process.execPath, ['--import', 'tsx', 'infra/local/start.ts'], { PORT: String(port) });
    await waitForOutput(twin, 'Switchboard local twin ready');
    const javaPids = javaPidsOnPort(dynamoPortIn(twin.output()));
    expect(javaPids).toHaveLength(1);

    twin.child.kill('SIGKILL');
    expect(await twin.exited).toEqual({ code: null, signal: 'SIGKILL' });
    await expectGone(javaPids);
  });

  it('says so in one line when the port is taken, stops Java and exits non-zero', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const twin = start('npm', ['start'], { PORT: String(port), SWITCHBOARD_OPERATOR_KEY: operatorKey });
      const { code } = await twin.exited;
      expect(code).not.toBe(0);
      expect(twin.output()).toMatch(new RegExp(`^Port ${port} is in use; set PORT=.* to use another`, 'm'));
      expect(twin.output()).not.toContain('Switchboard local twin ready');
      expect(javaPidsOnPort(dynamoPortIn(twin.output()))).toEqual([]);
    } finally {
      blocker.close();
    }
  });
});
