import pino, { type DestinationStream } from 'pino';
import { PinoPretty } from 'pino-pretty';
import type { Config } from '../config/config.ts';

export type Logger = pino.Logger;

const secretKeys = [
  'password',
  'token',
  'accessToken',
  'refreshToken',
  'secret',
  'jwtSecret',
  'authorization',
  'cookie',
];

/** Paths whose values never reach a log line, at the top level and one or two levels down. */
export const redactedPaths = secretKeys.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

/**
 * JSON lines for machines, or `pretty` for people at a terminal. `destination` defaults to
 * standard output; tests pass a stream to capture the lines.
 */
export function createLogger(
  config: Pick<Config, 'logLevel' | 'logFormat'>,
  destination?: DestinationStream,
): Logger {
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    base: { service: 'breakwater' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: redactedPaths, censor: '[redacted]' },
  };

  switch (config.logFormat) {
    case 'json':
      options.formatters = { level: (label) => ({ level: label }) };

      return pino(options, destination ?? pino.destination({ dest: 1, sync: true }));
    case 'pretty':
      return pino(options, prettyStream(destination));
  }
}

// A stream in this thread, not a `transport`: transports load their target by file name in
// a worker thread, which a `bun build --compile` executable cannot resolve.
function prettyStream(destination: DestinationStream | undefined): DestinationStream {
  return PinoPretty({
    sync: true,
    destination: destination ?? 1,
    colorize: destination === undefined && process.stdout.isTTY === true,
    ignore: 'pid,hostname,service',
    translateTime: 'SYS:HH:MM:ss.l',
  });
}
