import { createApiHandler } from '../../shared/http/handler';
import { buildOpenApiDocument } from '../../shared/http/openapi';

let document: ReturnType<typeof buildOpenApiDocument> | undefined;

export const handler = createApiHandler('openapi', {
  async getOpenApi() {
    document ??= buildOpenApiDocument();
    return { status: 200, headers: { 'cache-control': 'public, max-age=300' }, body: document };
  },
});
