import { matchPath } from '../../shared/http/routes';
import type { RequestSample, UnexpectedAnswer } from './report';

/** The run's HTTP client: times each request by declared route and records any answer it did not expect. */

export interface Answer {
  status: number;
  // The run reads answers by the contract it checks, not by a declared type.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export interface CallOptions {
  key?: string;
  json?: unknown;
  form?: Record<string, string>;
  /** The statuses this request may get; anything else is an unexpected answer. */
  expect: number[];
  /** The request asks for a 4xx on purpose. */
  deliberate?: boolean;
  /** Not part of the load (reading the outbox, reconciling): neither timed nor counted in the mix. */
  harness?: boolean;
}

export const requestTimeoutMs = 30_000;

export class Client {
  readonly samples: RequestSample[] = [];
  readonly unexpected: UnexpectedAnswer[] = [];
  readonly missingRoutes = new Set<string>();
  harnessRequests = 0;

  constructor(private readonly baseUrl: string) {}

  async call(method: string, path: string, options: CallOptions): Promise<Answer> {
    const { route, declared } = routeOf(method, path);
    const headers: Record<string, string> = {};
    if (options.key) headers.authorization = `Bearer ${options.key}`;
    let body: string | undefined;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(options.form).toString();
    }
    const started = performance.now();
    let answer: Answer;
    try {
      const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body, signal: AbortSignal.timeout(requestTimeoutMs) });
      const text = await response.text();
      const isJson = /json/.test(response.headers.get('content-type') ?? '');
      answer = { status: response.status, body: isJson && text ? JSON.parse(text) : text };
    } catch (error) {
      answer = { status: 0, body: `${(error as Error).name}: ${(error as Error).message}` };
    }
    const ms = performance.now() - started;
    if (options.harness) {
      this.harnessRequests++;
    } else {
      this.samples.push({ route, status: answer.status, ms, deliberate: options.deliberate === true && answer.status >= 400 && answer.status < 500 });
    }
    // A harness request's failure shows in the reconciliation it serves, not among the mix's answers.
    if (!options.expect.includes(answer.status) && !options.harness) {
      // A route not built yet is left out of the mix and named in the report, not counted as an error.
      if (answer.status === 404 && !declared && !route.includes(' /local/')) this.missingRoutes.add(route);
      else this.unexpected.push({ route, status: answer.status, detail: describeAnswer(answer) });
    }
    return answer;
  }
}

/** The declared route a request matched, e.g. `POST /v1/contacts/{contactId}/close`; the path itself for `/local/...`. */
export function routeOf(method: string, path: string): { route: string; declared: boolean } {
  const bare = path.split('?')[0]!;
  const match = bare.startsWith('/local/') ? undefined : matchPath(method, bare);
  return match && 'route' in match ? { route: `${match.route.method} ${match.route.path}`, declared: true } : { route: `${method} ${bare}`, declared: false };
}

export function describeAnswer(answer: Answer): string {
  if (typeof answer.body === 'string') return answer.body.replace(/\s+/g, ' ').slice(0, 200);
  const { title, detail, errors } = (answer.body ?? {}) as { title?: string; detail?: string; errors?: unknown };
  return [title, detail, errors ? JSON.stringify(errors) : undefined].filter(Boolean).join(' — ').slice(0, 300);
}
