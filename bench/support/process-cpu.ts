// Linux reports a process's CPU time in /proc/<pid>/stat in clock ticks of 1/100 s.
const TICKS_PER_SECOND = 100;

/** CPU time (user + system, all threads) a process has used so far, in milliseconds. */
export async function processCpuMs(pid: number): Promise<number> {
  const stat = await Bun.file(`/proc/${pid}/stat`).text();
  // The command name, in parentheses, may hold spaces: count fields after its end.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const userTicks = Number(fields[11]);
  const systemTicks = Number(fields[12]);

  return ((userTicks + systemTicks) * 1000) / TICKS_PER_SECOND;
}
