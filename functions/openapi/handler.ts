import { createApiHandler } from '../../shared/http/handler';
import { buildOpenApiDocument } from '../../shared/http/openapi';
import { notFound } from '../../shared/http/problem';
import { problemPage, problemPageHeaders } from '../../shared/http/problem-page';
import { isProblemSlug } from '../../shared/http/problem-types';
import { openApiRoutes } from '../../shared/http/routes/openapi';

let document: ReturnType<typeof buildOpenApiDocument> | undefined;

export const handler = createApiHandler('openapi', openApiRoutes, {
  async getOpenApi() {
    document ??= buildOpenApiDocument();
    return { status: 200, headers: { 'cache-control': 'public, max-age=300' }, body: document };
  },

  async getProblemType(request) {
    const { slug } = request.params;
    if (!isProblemSlug(slug)) throw notFound(`No problem type ${slug}; GET /openapi.json lists those the API answers`);
    return { status: 200, headers: { ...problemPageHeaders }, text: problemPage(slug) };
  },
});
