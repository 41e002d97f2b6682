import { createApiHandler } from '../../shared/http/handler';
import { buildOpenApiDocument } from '../../shared/http/openapi';
import { openApiRoutes } from '../../shared/http/routes/openapi';

let document: ReturnType<typeof buildOpenApiDocument> | undefined;

export const handler = createApiHandler('openapi', openApiRoutes, {
  async getOpenApi() {
    document ??= buildOpenApiDocument();
    return { status: 200, headers: { 'cache-control': 'public, max-age=300' }, body: document };
  },
});
