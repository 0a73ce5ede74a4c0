import pino, { type DestinationStream } from 'pino';
import type { Config } from '../config/config.ts';

export type Logger = pino.Logger;

/** Paths whose values never reach a log line. */
const redactedPaths = [
  'password',
  'token',
  'secret',
  'jwtSecret',
  '*.password',
  '*.token',
  '*.secret',
  'headers.authorization',
  'req.headers.authorization',
];

export function createLogger(
  config: Pick<Config, 'logLevel' | 'logFormat'>,
  destination?: DestinationStream,
): Logger {
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    base: { service: 'breakwater' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: redactedPaths, censor: '[redacted]' },
    formatters: { level: (label) => ({ level: label }) },
  };

  return pino(options, destination ?? pino.destination({ dest: 1, sync: true }));
}
