// Polls both processes; when this one is gone (a crash, an interrupted run, a test runner
// that skips exit handlers: `bun test` runs no `process.on('exit')`), the child gets SIGKILL,
// which also ends a stopped (SIGSTOP) child, and its folder is removed. The watchdog exits by
// itself once the child has exited.
const WATCHDOG_SCRIPT = `
while kill -0 "$1" 2>/dev/null && kill -0 "$2" 2>/dev/null; do sleep 0.2; done
if ! kill -0 "$1" 2>/dev/null; then kill -KILL "$2" 2>/dev/null; rm -rf "$3"; fi
`;

/**
 * Makes sure `childPid` does not outlive this process, however this process ends, and that
 * `folder` is removed when it does not.
 */
export function killWhenThisProcessEnds(childPid: number, folder: string): void {
  const watchdog = Bun.spawn(
    ['/bin/sh', '-c', WATCHDOG_SCRIPT, 'watchdog', String(process.pid), String(childPid), folder],
    { stdin: 'ignore', stdout: 'ignore', stderr: 'ignore' },
  );
  watchdog.unref();
}
