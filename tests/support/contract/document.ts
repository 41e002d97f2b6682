import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/** The parts of an OpenAPI 3.1 document the contract test reads. */
export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: JsonSchema;
}
export interface OpenApiMedia {
  schema?: JsonSchema;
  example?: unknown;
  examples?: Record<string, { value?: unknown }>;
}
export interface OpenApiResponse {
  description?: string;
  content?: Record<string, OpenApiMedia>;
  headers?: Record<string, { required?: boolean; schema?: JsonSchema }>;
}
export interface OpenApiOperation {
  operationId: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  'x-required-scope'?: string;
  parameters?: OpenApiParameter[];
  requestBody?: { required?: boolean; content: Record<string, OpenApiMedia> };
  responses: Record<string, OpenApiResponse>;
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  security?: Record<string, string[]>[];
  components?: { schemas?: Record<string, JsonSchema> };
}
// JSON Schema as the document carries it; read by keyword.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JsonSchema = Record<string, any>;

const httpMethods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** One operation of the document, with where it lives. */
export interface Operation {
  operationId: string;
  method: string;
  path: string;
  tag: string;
  /** 'public', 'operator' or the tenant scope it needs ('admin', 'agent', 'readonly'). */
  access: string;
  spec: OpenApiOperation;
  /** JSON pointer of the operation in the document, for Ajv references. */
  pointer: string;
}

const pointerPart = (part: string) => part.replaceAll('~', '~0').replaceAll('/', '~1');

/** Every operation of the document, in its order. */
export function operationsOf(document: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of httpMethods) {
      const spec = item[method];
      if (!spec) continue;
      const security = spec.security ?? document.security ?? [];
      const schemes = security.flatMap((requirement) => Object.keys(requirement));
      const access = schemes.length === 0 ? 'public' : schemes.includes('operatorKey') ? 'operator' : (spec['x-required-scope'] ?? 'readonly');
      operations.push({
        operationId: spec.operationId,
        method: method.toUpperCase(),
        path,
        tag: spec.tags?.[0] ?? '(untagged)',
        access,
        spec,
        pointer: `/paths/${pointerPart(path)}/${method}`,
      });
    }
  }
  return operations;
}

export interface Answer {
  status: number;
  headers: Record<string, string>;
  /** The body as text ('' when there is none). */
  text: string;
}

/** A difference between an answer and the document. */
export interface Departure {
  operationId: string;
  /** What kind of request got the answer (valid, no credential, a situation's name…). */
  request: string;
  status: number;
  /** The problem type's slug when the body is a problem. */
  problem?: string;
  what: string;
}

export const problemSlug = (answer: Answer): string | undefined => {
  if (!/json/.test(answer.headers['content-type'] ?? '')) return undefined;
  try {
    const type = (JSON.parse(answer.text) as { type?: unknown }).type;
    return typeof type === 'string' ? type.slice(type.lastIndexOf('/') + 1) : undefined;
  } catch {
    return undefined;
  }
};

const documentId = 'https://contract.test/openapi.json';

/**
 * Checks answers against an OpenAPI document: the status is documented for the operation, the
 * media type is one documented for that status, the body validates (Ajv, JSON Schema 2020-12)
 * against that media type's schema, and every required documented header is present. It also
 * keeps which (operation, status) pairs were seen, for the coverage check.
 */
export class ContractChecker {
  readonly departures: Departure[] = [];
  /** `operationId status` of every answer checked. */
  readonly observed = new Set<string>();
  private readonly ajv: Ajv2020;
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(readonly document: OpenApiDocument) {
    this.ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
    addFormats(this.ajv);
    // The whole document is registered, so that `#/components/schemas/...` resolves inside it.
    this.ajv.addSchema(structuredClone(document) as object, documentId);
  }

  /** The validator of a schema found at `pointer` in the document (compiled once). */
  private validator(pointer: string): ValidateFunction {
    let validate = this.validators.get(pointer);
    if (!validate) {
      validate = this.ajv.compile({ $ref: `${documentId}#${pointer}` });
      this.validators.set(pointer, validate);
    }
    return validate;
  }

  /** Compiles every response schema of the document now, so that a schema Ajv cannot compile fails early and clearly. */
  compileAll(operations: Operation[]): string[] {
    const failures: string[] = [];
    for (const operation of operations) {
      for (const [status, response] of Object.entries(operation.spec.responses)) {
        for (const [mediaType, media] of Object.entries(response.content ?? {})) {
          if (!media.schema) continue;
          try {
            this.validator(`${operation.pointer}/responses/${status}/content/${pointerPart(mediaType)}/schema`);
          } catch (error) {
            failures.push(`${operation.operationId} ${status} ${mediaType}: ${(error as Error).message}`);
          }
        }
      }
    }
    return failures;
  }

  /** Checks one answer; answers the departures it found (also kept in `departures`). */
  check(operation: Operation, request: string, answer: Answer): Departure[] {
    const found: Departure[] = [];
    const depart = (what: string) => found.push({ operationId: operation.operationId, request, status: answer.status, problem: problemSlug(answer), what });
    this.observed.add(`${operation.operationId} ${answer.status}`);
    const statusKey = [String(answer.status), `${String(answer.status)[0]}XX`, 'default'].find((key) => operation.spec.responses[key]);
    if (!statusKey) {
      depart(`status ${answer.status} is not documented (documented: ${Object.keys(operation.spec.responses).join(', ')})`);
    } else {
      const response = operation.spec.responses[statusKey]!;
      const mediaType = (answer.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      const content = response.content ?? {};
      if (Object.keys(content).length === 0) {
        if (answer.text !== '') depart(`a ${mediaType || 'untyped'} body where the document has none`);
      } else if (!content[mediaType]) {
        depart(`media type ${mediaType || '(none)'} is not documented for ${statusKey} (documented: ${Object.keys(content).join(', ')})`);
      } else if (content[mediaType]!.schema) {
        const errors = this.validate(`${operation.pointer}/responses/${statusKey}/content/${pointerPart(mediaType)}/schema`, mediaType, answer.text);
        if (errors) depart(`body does not match the ${statusKey} ${mediaType} schema: ${errors}`);
      }
      for (const [name, header] of Object.entries(response.headers ?? {})) {
        if (header.required && answer.headers[name.toLowerCase()] === undefined) depart(`required header ${name} is missing`);
      }
    }
    this.departures.push(...found);
    return found;
  }

  private validate(pointer: string, mediaType: string, text: string): string | undefined {
    let data: unknown = text;
    if (/json$/.test(mediaType)) {
      try {
        data = JSON.parse(text);
      } catch {
        return 'the body is not JSON';
      }
    }
    const validate = this.validator(pointer);
    return validate(data) ? undefined : describeErrors(validate.errors ?? []);
  }
}

const describeErrors = (errors: ErrorObject[]) =>
  errors
    .slice(0, 6)
    .map((error) => `${error.instancePath || '/'} ${error.message ?? error.keyword}${['const', 'enum', 'additionalProperties'].includes(error.keyword) ? ` ${JSON.stringify(error.params)}` : ''}`)
    .join('; ');

/** A readable list of departures, one a line. */
export const formatDepartures = (departures: Departure[]) =>
  departures.map((d) => `${d.operationId} [${d.request}] → ${d.status}${d.problem ? ` ${d.problem}` : ''}: ${d.what}`).join('\n');

export interface Exclusion {
  /** An operationId, or `*` for every operation. */
  operationId: string;
  status: number;
  /** Only operations of these kinds of access ('public', 'operator', or a tenant scope); all when absent. */
  access?: string[];
  reason: string;
}

/** Documented (operation, status) pairs that were never observed and are not excluded, each with its description. */
export function unseenResponses(operations: Operation[], observed: ReadonlySet<string>, exclusions: readonly Exclusion[]): string[] {
  const excluded = (operation: Operation, status: number) =>
    exclusions.some((entry) => entry.status === status && (entry.operationId === '*' || entry.operationId === operation.operationId) && (!entry.access || entry.access.includes(operation.access)));
  return operations.flatMap((operation) =>
    Object.entries(operation.spec.responses)
      .filter(([status]) => /^\d{3}$/.test(status) && !observed.has(`${operation.operationId} ${status}`) && !excluded(operation, Number(status)))
      .map(([status, response]) => `${operation.operationId} ${status}: ${response.description ?? ''}`),
  );
}
