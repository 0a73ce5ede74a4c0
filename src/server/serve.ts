import type { Config } from '../config/config.ts';
import { attachContext, requestIdFrom } from '../http/request-context.ts';
import type { Logger } from '../observability/logger.ts';
import { createServices } from './services.ts';

// Bun closes a connection idle for this long; it must outlast the request deadline so the
// deadline, not the socket, decides when a slow request ends. Bun's maximum is 255 s.
const idleTimeoutMarginSeconds = 5;

/** Starts the HTTP server and keeps it until SIGTERM or SIGINT; resolves with the exit code. */
export async function serve(config: Config, logger: Logger): Promise<number> {
  const services = createServices(config, logger);
  const { app } = services;

  const server = Bun.serve({
    port: config.port,
    hostname: config.host,
    idleTimeout: Math.min(255, Math.ceil(config.requestTimeoutMs / 1000) + idleTimeoutMarginSeconds),
    maxRequestBodySize: config.maxBodySizeBytes,
    fetch(request, server) {
      attachContext(request, {
        id: requestIdFrom(request),
        clientAddress: server.requestIP(request)?.address ?? 'unknown',
        startedAt: performance.now(),
      });

      return app.handle(request);
    },
  });
  logger.info({ url: server.url.href }, 'listening');

  const signal = await nextSignal();
  logger.info({ signal }, 'shutting down');
  services.beginShutdown();
  onSignal(() => {
    logger.warn('second signal: exiting at once');
    process.exit(1);
  });

  const drained = await Promise.race([
    server.stop(false).then(() => true),
    Bun.sleep(config.shutdownTimeoutMs).then(() => false),
  ]);
  if (!drained) {
    logger.warn({ shutdownTimeoutMs: config.shutdownTimeoutMs }, 'in-flight requests cut off');
    await server.stop(true);
  }

  await services.close();
  logger.info('stopped');

  return 0;
}

const shutdownSignals = ['SIGTERM', 'SIGINT'] as const;

function nextSignal(): Promise<string> {
  return new Promise((resolve) => onSignal(resolve, true));
}

function onSignal(handler: (signal: string) => void, once = false): void {
  for (const name of shutdownSignals) {
    const listener = () => {
      if (once) for (const other of shutdownSignals) process.off(other, listener);
      handler(name);
    };
    process.on(name, listener);
  }
}
