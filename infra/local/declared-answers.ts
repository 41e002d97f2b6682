import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { type FieldError, fieldErrors } from '../../shared/http/problem';
import { isProblemSlug, problemBodySchema, problemTypeBase } from '../../shared/http/problem-types';
import { responseHeaderNames } from '../../shared/http/response-headers';
import { declaredHeaders, declaredProblems } from '../../shared/http/route-answers';
import type { RouteDeclaration } from '../../shared/http/route-types';

/**
 * The twin's check that an answer is what its route declares (and so what the OpenAPI document
 * says). A success: the status is declared; a JSON body parses with the declared response schema
 * and carries no field the schema does not declare; a text body has the declared media type; a
 * response declared without a body has none. An error (4xx, 5xx): the status is one the route
 * may answer (declaredProblems), the body is problem+json of a problem type declared for that
 * status, with that type's members and no others. Either way, no header of the contract
 * (ETag, Location, Retry-After …) that the answer does not declare. Pages (HTML) are not checked.
 *
 * Answers each departure from the declaration, or an empty list.
 */
export function undeclaredInAnswer(route: RouteDeclaration, answer: APIGatewayProxyStructuredResultV2): FieldError[] {
  const status = answer.statusCode ?? 200;
  if (route.page) return [];
  if (status >= 400) return [...undeclaredInProblem(route, status, answer), ...undeclaredHeaders(route, status, answer)];
  if (status < 200 || status > 299) return [];
  const differences = undeclaredInSuccess(route, status, answer);
  return differences.length > 0 ? differences : undeclaredHeaders(route, status, answer);
}

function undeclaredInSuccess(route: RouteDeclaration, status: number, answer: APIGatewayProxyStructuredResultV2): FieldError[] {
  const declared = route.responses[status];
  if (!declared) return [{ path: 'status', message: `${status} is not a declared response` }];
  const body = bodyOf(answer);
  const contentType = mediaTypeOf(answer);

  if (declared.schema) {
    if (contentType !== 'application/json') return [{ path: 'content-type', message: `${contentType || 'none'} instead of application/json` }];
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return [{ path: '$', message: 'Not valid JSON' }];
    }
    const parsed = declared.schema.safeParse(json);
    if (!parsed.success) return fieldErrors(parsed.error, '$');
    return fieldsNotDeclared(json, parsed.data, '$');
  }
  if (declared.mediaType) {
    return contentType === declared.mediaType ? [] : [{ path: 'content-type', message: `${contentType || 'none'} instead of ${declared.mediaType}` }];
  }
  return body === '' ? [] : [{ path: '$', message: 'A body where the declaration has none' }];
}

function undeclaredInProblem(route: RouteDeclaration, status: number, answer: APIGatewayProxyStructuredResultV2): FieldError[] {
  const slugs = declaredProblems(route).get(status);
  if (!slugs) return [{ path: 'status', message: `${status} is not a declared response` }];
  const contentType = mediaTypeOf(answer);
  if (contentType !== 'application/problem+json') return [{ path: 'content-type', message: `${contentType || 'none'} instead of application/problem+json` }];
  let json: unknown;
  try {
    json = JSON.parse(bodyOf(answer));
  } catch {
    return [{ path: '$', message: 'Not valid JSON' }];
  }
  const type = isObject(json) ? json.type : undefined;
  const slug = typeof type === 'string' && type.startsWith(problemTypeBase) ? type.slice(problemTypeBase.length) : undefined;
  if (!slug || !isProblemSlug(slug) || !slugs.includes(slug)) {
    return [{ path: '$.type', message: `${String(type)} is not a problem type declared for ${status} (${slugs.join(', ')})` }];
  }
  const parsed = problemBodySchema(slug).safeParse(json);
  return parsed.success ? [] : fieldErrors(parsed.error, '$');
}

/** Headers of the contract (responseHeaders) that the answer sends but its route does not declare for its status. */
function undeclaredHeaders(route: RouteDeclaration, status: number, answer: APIGatewayProxyStructuredResultV2): FieldError[] {
  const declared = new Set(declaredHeaders(route, status).map((name) => name.toLowerCase()));
  const sent = new Set(Object.keys(answer.headers ?? {}).map((name) => name.toLowerCase()));
  return responseHeaderNames
    .filter((name) => sent.has(name.toLowerCase()) && !declared.has(name.toLowerCase()))
    .map((name) => ({ path: `headers.${name}`, message: `Not declared for ${status}` }));
}

const bodyOf = (answer: APIGatewayProxyStructuredResultV2) =>
  answer.isBase64Encoded ? Buffer.from(answer.body ?? '', 'base64').toString('utf8') : (answer.body ?? '');

const mediaTypeOf = (answer: APIGatewayProxyStructuredResultV2) =>
  String(headerOf(answer, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();

function headerOf(answer: APIGatewayProxyStructuredResultV2, name: string) {
  const found = Object.entries(answer.headers ?? {}).find(([header]) => header.toLowerCase() === name);
  return found?.[1];
}

/**
 * Fields of the answer that the schema dropped when parsing it (zod objects strip unknown keys):
 * they would reach clients without being in the document.
 */
function fieldsNotDeclared(sent: unknown, parsed: unknown, path: string): FieldError[] {
  if (Array.isArray(sent) && Array.isArray(parsed)) {
    return sent.flatMap((item, index) => fieldsNotDeclared(item, parsed[index], `${path}[${index}]`));
  }
  if (isObject(sent) && isObject(parsed)) {
    return Object.entries(sent).flatMap(([key, value]) =>
      key in parsed ? fieldsNotDeclared(value, parsed[key], `${path}.${key}`) : [{ path: `${path}.${key}`, message: 'Not declared in the response schema' }],
    );
  }
  return [];
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
