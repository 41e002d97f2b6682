import { vi } from 'vitest';

/** One JSON log line a function wrote, and the stream it went to. */
export interface CapturedLine {
  stream: 'stdout' | 'stderr';
  line: string;
}

/**
 * Captures the JSON lines written to stdout and stderr, as CloudWatch receives both: Powertools
 * Logger writes DEBUG and INFO through console.info/log (stdout) but WARN and ERROR through
 * console.warn/error (stderr). Anything else passes through. Undo with vi.restoreAllMocks().
 */
export function captureLogLines(): CapturedLine[] {
  const captured: CapturedLine[] = [];
  for (const stream of ['stdout', 'stderr'] as const) {
    const target = process[stream];
    const write = target.write.bind(target);
    vi.spyOn(target, 'write').mockImplementation(((chunk: string | Uint8Array, ...rest: unknown[]) => {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      const lines = text.split('\n').filter((line) => line.startsWith('{'));
      if (lines.length === 0) return (write as (chunk: string | Uint8Array, ...rest: unknown[]) => boolean)(chunk, ...rest);
      captured.push(...lines.map((line) => ({ stream, line })));
      return true;
    }) as typeof target.write);
  }
  return captured;
}
