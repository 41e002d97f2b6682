import { createApiHandler } from '../../shared/http/handler';
import { buildOpenApiDocument } from '../../shared/http/openapi';
import { foundationRoutes } from '../../shared/http/routes/foundation';

let document: ReturnType<typeof buildOpenApiDocument> | undefined;

export const handler = createApiHandler('openapi', foundationRoutes, {
  async getOpenApi() {
    document ??= buildOpenApiDocument();
    return { status: 200, headers: { 'cache-control': 'public, max-age=300' }, body: document };
  },
});
