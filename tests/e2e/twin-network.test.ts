import { request } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynamoDbLocal } from '../../infra/local/dynamodb';
import { startTestTwin, type TestTwin } from '../support/twin';

/**
 * The twin's back doors stay on this machine: DynamoDB Local (any credentials, -sharedDb) listens
 * on loopback only, and the `/local/*` control endpoints (clock, events, schedules) answer only
 * peers on loopback, even when the twin itself listens on every interface (HOST=0.0.0.0).
 * "Another machine" is this machine's own non-loopback address: a connection to it comes from it.
 */
const nonLoopbackAddress = Object.values(networkInterfaces())
  .flat()
  .find((address) => address && address.family === 'IPv4' && !address.internal)?.address;

const statusOf = (url: URL, path: string, host: string, method = 'GET', headers: Record<string, string> = {}) =>
  new Promise<number>((resolve, reject) => {
    const outgoing = request({ host, port: url.port, path, method, headers, localAddress: host }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    outgoing.once('error', reject);
    outgoing.end();
  });

const connects = (host: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

describe.skipIf(!nonLoopbackAddress)('the twin on a network', () => {
  let twin: TestTwin;
  beforeAll(async () => {
    twin = await startTestTwin({ host: '0.0.0.0', events: { withoutStream: true } });
  });
  afterAll(() => twin.close());

  it('answers /local/* and PutEvents to loopback peers and refuses other peers with 403', async () => {
    const url = new URL(twin.url);
    expect(await statusOf(url, '/local/schedules', '127.0.0.1')).toBe(200);
    expect(await statusOf(url, '/local/schedules', nonLoopbackAddress!)).toBe(403);
    expect(await statusOf(url, '/local/events', nonLoopbackAddress!)).toBe(403);
    const putEvents = { 'x-amz-target': 'AWSEvents.PutEvents', 'content-type': 'application/x-amz-json-1.1' };
    expect(await statusOf(url, '/', nonLoopbackAddress!, 'POST', putEvents)).toBe(403);
    // The API itself is served to the network, as API Gateway serves it to the internet.
    expect(await statusOf(url, '/openapi.json', nonLoopbackAddress!)).toBe(200);
  });

  it('starts DynamoDB Local on loopback only', async () => {
    const dynamo = await startDynamoDbLocal();
    try {
      expect(await connects('127.0.0.1', dynamo.port)).toBe(true);
      expect(await connects(nonLoopbackAddress!, dynamo.port)).toBe(false);
    } finally {
      await dynamo.stop();
    }
  }, 60_000);
});
