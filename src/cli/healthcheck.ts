import type { Config } from '../config/config.ts';

const probeTimeoutMs = 3000;

/** Asks the local readiness endpoint; for container health checks. */
export async function healthcheck(config: Config): Promise<number> {
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${config.port}/health/ready`;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(probeTimeoutMs) });
    console.log(`${response.status} ${await response.text()}`);

    return response.ok ? 0 : 1;
  } catch (error) {
    console.error(`healthcheck: ${url}: ${error instanceof Error ? error.message : error}`);

    return 1;
  }
}
