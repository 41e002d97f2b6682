import { createFallbackHandler } from '../../shared/http/handler';
import { routes } from '../../shared/http/routes';

export const handler = createFallbackHandler(routes);
