import { describe, expect, test } from 'bun:test';
import pino from 'pino';
import {
  EXIT_CLOSE_FAILED,
  EXIT_STOPPED,
  shutDown,
  type ClosableServices,
} from '../../src/server/shutdown.ts';
import { LOOPBACK } from '../support/free-port.ts';
import { connectOutcome } from './connect-outcome.ts';

const silentLogger = pino({ level: 'silent' });

/** Records what shutdown asked of the services; `close` behaves as the test says. */
function recordingServices(close: () => Promise<void>) {
  const steps: string[] = [];
  const services: ClosableServices = {
    beginShutdown: async () => {
      steps.push('not ready');
    },
    close: () => {
      steps.push('close');

      return close();
    },
  };

  return { steps, services };
}

/** A server whose only route answers after `delayMs`, and a promise that it has started. */
function slowServer(delayMs: number, onAnswer: () => void = () => {}) {
  let started: () => void = () => {};
  const requestStarted = new Promise<void>((resolve) => {
    started = resolve;
  });
  const server = Bun.serve({
    hostname: LOOPBACK,
    port: 0,
    async fetch() {
      started();
      await Bun.sleep(delayMs);
      onAnswer();

      return new Response('finished');
    },
  });

  return { server, requestStarted, url: `http://${LOOPBACK}:${server.port}/` };
}

describe('shutDown', () => {
  test('refuses new connections and closes the services after the request in flight', async () => {
    const { steps, services } = recordingServices(async () => {});
    const { server, requestStarted, url } = slowServer(300, () => steps.push('request answered'));
    const inFlight = fetch(url).then(async (response) => ({
      status: response.status,
      text: await response.text(),
    }));
    await requestStarted;

    const exitCode = shutDown({ server, services, logger: silentLogger, shutdownTimeoutMs: 5_000 });
    const newConnection = await connectOutcome(server.port ?? 0);

    expect(newConnection).toBe('refused');
    expect(await inFlight).toEqual({ status: 200, text: 'finished' });
    expect(await exitCode).toBe(EXIT_STOPPED);
    expect(steps).toEqual(['not ready', 'request answered', 'close']);
  });

  test('cuts off a request still running at the shutdown timeout', async () => {
    const { server, requestStarted, url } = slowServer(10_000);
    const { steps, services } = recordingServices(async () => {});
    const inFlight = fetch(url).then(
      () => 'answered',
      () => 'cut off',
    );
    await requestStarted;
    const startedAt = performance.now();

    const exitCode = await shutDown({
      server,
      services,
      logger: silentLogger,
      shutdownTimeoutMs: 200,
    });

    expect(exitCode).toBe(EXIT_STOPPED);
    expect(await inFlight).toBe('cut off');
    expect(performance.now() - startedAt).toBeLessThan(5_000);
    expect(steps).toEqual(['not ready', 'close']);
  });

  test('waits for background work (webhook deliveries) before closing the services', async () => {
    const { server } = slowServer(0);
    const steps: string[] = [];
    const services: ClosableServices = {
      beginShutdown: async () => {
        steps.push('not ready');
        await Bun.sleep(200);
        steps.push('deliveries finished');
      },
      close: async () => {
        steps.push('close');
      },
    };

    const exitCode = await shutDown({ server, services, logger: silentLogger, shutdownTimeoutMs: 5_000 });

    expect(exitCode).toBe(EXIT_STOPPED);
    expect(steps).toEqual(['not ready', 'deliveries finished', 'close']);
  });

  test('closes the services at the shutdown timeout when background work runs on', async () => {
    const { server } = slowServer(0);
    const steps: string[] = [];
    const services: ClosableServices = {
      beginShutdown: async () => {
        steps.push('not ready');
        await new Promise(() => {});
      },
      close: async () => {
        steps.push('close');
      },
    };

    const exitCode = await shutDown({ server, services, logger: silentLogger, shutdownTimeoutMs: 200 });

    expect(exitCode).toBe(EXIT_STOPPED);
    expect(steps).toEqual(['not ready', 'close']);
  });

  test('gives up on services that do not close within the limit, with exit status 1', async () => {
    const { server } = slowServer(0);
    const { services } = recordingServices(() => new Promise(() => {}));

    const exitCode = await shutDown({
      server,
      services,
      logger: silentLogger,
      shutdownTimeoutMs: 1_000,
      closeTimeoutMs: 100,
    });

    expect(exitCode).toBe(EXIT_CLOSE_FAILED);
  });

  test('reports services that fail to close with exit status 1', async () => {
    const { server } = slowServer(0);
    const { services } = recordingServices(() => Promise.reject(new Error('disk gone')));

    const exitCode = await shutDown({
      server,
      services,
      logger: silentLogger,
      shutdownTimeoutMs: 1_000,
    });

    expect(exitCode).toBe(EXIT_CLOSE_FAILED);
  });

  test('refuses a negative shutdown timeout before it touches anything', async () => {
    const { server } = slowServer(0);
    const { steps, services } = recordingServices(async () => {});
    const shutdown = shutDown({ server, services, logger: silentLogger, shutdownTimeoutMs: -1 });

    await expect(shutdown).rejects.toThrow(/shutdownTimeoutMs/);
    expect(steps).toEqual([]);
    expect(await connectOutcome(server.port ?? 0)).toBe('accepted');
    await server.stop(true);
  });
});
