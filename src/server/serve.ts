import type { Config } from '../config/config.ts';
import { idleTimeoutSeconds } from '../config/idle-timeout.ts';
import type { Logger } from '../observability/logger.ts';
import { createFetchHandler } from './fetch-handler.ts';
import { createServices } from './services.ts';
import { firstShutdownSignal } from './shutdown-signals.ts';
import { EXIT_INTERRUPTED, shutDown } from './shutdown.ts';

/** Starts the HTTP server and keeps it until SIGTERM or SIGINT; resolves with the exit code. */
export async function serve(config: Config, logger: Logger): Promise<number> {
  const services = createServices(config, logger);
  const signalled = firstShutdownSignal((signal) => {
    logger.warn({ signal, exitCode: EXIT_INTERRUPTED }, 'second signal: exiting at once');
    process.exit(EXIT_INTERRUPTED);
  });

  if (config.redisUrl !== null && !(await services.redis.ready)) {
    logger.warn(
      { attempts: config.redisConnectAttempts },
      'starting degraded: Redis is unavailable; reads come from SQLite while it reconnects',
    );
  }

  const server = Bun.serve({
    port: config.port,
    hostname: config.host,
    // Must outlast the request deadline, or Bun cuts a slow request's socket before its 504.
    idleTimeout: idleTimeoutSeconds(config.requestTimeoutMs),
    // No maxRequestBodySize at MAX_BODY_SIZE: Bun would answer a bare 413 before the app could
    // send its problem+json one. The app streams bodies and stops at the limit itself.
    fetch: createFetchHandler(services.app, {
      requestTimeoutMs: config.requestTimeoutMs,
      onAnsweredEarly: services.httpObserver.answeredByServer,
    }),
  });
  logger.info({ url: server.url.href }, 'listening');

  const signal = await signalled;
  logger.info({ signal, shutdownTimeoutMs: config.shutdownTimeoutMs }, 'shutting down');

  return shutDown({ server, services, logger, shutdownTimeoutMs: config.shutdownTimeoutMs });
}
