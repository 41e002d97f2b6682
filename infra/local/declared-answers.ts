import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { type FieldError, fieldErrors } from '../../shared/http/problem';
import type { RouteDeclaration } from '../../shared/http/route-types';

/**
 * The twin's check that a successful answer is what its route declares (and so what the OpenAPI
 * document says): the status is declared; a JSON body parses with the declared response schema
 * and carries no field the schema does not declare; a text body has the declared media type; a
 * response declared without a body has none. Errors (4xx, 5xx) are problem+json and not checked
 * here, nor are pages (HTML).
 *
 * Answers each departure from the declaration, or an empty list.
 */
export function undeclaredInAnswer(route: RouteDeclaration, answer: APIGatewayProxyStructuredResultV2): FieldError[] {
  const status = answer.statusCode ?? 200;
  if (route.page || status < 200 || status > 299) return [];
  const declared = route.responses[status];
  if (!declared) return [{ path: 'status', message: `${status} is not a declared response` }];
  const body = answer.isBase64Encoded ? Buffer.from(answer.body ?? '', 'base64').toString('utf8') : (answer.body ?? '');
  const contentType = String(headerOf(answer, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();

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
