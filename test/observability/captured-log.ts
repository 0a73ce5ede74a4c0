import { Writable } from 'node:stream';
import type { LogFormat, LogLevel } from '../../src/config/schema.ts';
import { createLogger, type Logger } from '../../src/observability/logger.ts';

export type LogRecord = Record<string, unknown> & { level: string; msg: string };

export interface CapturedLog {
  logger: Logger;
  lines: string[];
  /** The lines parsed as JSON; only for the json format. */
  records(): LogRecord[];
}

export function captureLog(
  logLevel: LogLevel = 'debug',
  logFormat: LogFormat = 'json',
): CapturedLog {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const logger = createLogger({ logLevel, logFormat }, sink);

  return { logger, lines, records: () => parseRecords(lines) };
}

export function parseRecords(lines: readonly string[]): LogRecord[] {
  return lines.map((line) => JSON.parse(line) as LogRecord);
}

/** Elysia runs after-response hooks in a later macrotask than the one that answered. */
export function afterResponseHooks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
