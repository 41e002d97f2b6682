import { createFallbackHandler } from '../../shared/http/handler';

export const handler = createFallbackHandler();
