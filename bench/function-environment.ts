/**
 * Imported first by bench/run.ts, before any module that builds Powertools' logger and metrics:
 * the functions the benchmarks invoke in this process run as the twin runs them (metrics off,
 * WARN), whatever the import order of the modules below pulls in first. Without this, a module
 * that happened to load shared/observability.ts before the twin's environment was configured left
 * the in-process handler printing an EMF line per request, and the customer read's ratio measured
 * that print instead of the function. The lifecycle bench sets its own child's environment.
 */
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
