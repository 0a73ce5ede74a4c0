export type WrkResult = { rps: number; p99_ms: number; non2xx: number; socket_errors: number };

export type WrkOptions = {
  url: string;
  durationS: number;
  threads: number;
  connections: number;
  headers?: readonly string[];
};

/** Fails at once, saying where to get it, when wrk is not installed. */
export function requireWrk(): void {
  if (Bun.which('wrk') === null) {
    throw new Error('wrk is not installed: it comes from Debian\'s packages (apt-get install wrk)');
  }
}

/** Runs `wrk --latency` once and reads requests/s, p99 and error counts from its report. */
export async function runWrk(options: WrkOptions): Promise<WrkResult> {
  const headerArgs = (options.headers ?? []).flatMap((header) => ['-H', header]);
  const child = Bun.spawn(
    [
      'wrk', '--latency', `-t${options.threads}`, `-c${options.connections}`,
      `-d${options.durationS}s`, '--timeout', '10s', ...headerArgs, options.url,
    ],
    { stdin: 'ignore', stdout: 'pipe', stderr: 'pipe' },
  );
  const [report, exitCode] = await Promise.all([new Response(child.stdout).text(), child.exited]);
  if (exitCode !== 0) {
    throw new Error(`wrk exited ${exitCode}: ${await new Response(child.stderr).text()}`);
  }

  return parseWrkReport(report);
}

export function parseWrkReport(report: string): WrkResult {
  const rps = /^Requests\/sec:\s+([\d.]+)/m.exec(report)?.[1];
  const p99 = /^\s+99%\s+([\d.]+)(us|ms|s)\b/m.exec(report);
  if (!rps || !p99?.[1] || !p99[2]) throw new Error(`unexpected wrk report:\n${report}`);
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/m
    .exec(report)
    ?.slice(1)
    .reduce((sum, count) => sum + Number(count), 0);

  return {
    rps: Number(rps),
    p99_ms: Number(p99[1]) * unitInMs[p99[2] as keyof typeof unitInMs],
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/m.exec(report)?.[1] ?? 0),
    socket_errors: socketErrors ?? 0,
  };
}

const unitInMs = { us: 0.001, ms: 1, s: 1000 } as const;
