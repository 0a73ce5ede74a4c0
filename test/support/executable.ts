import { $ } from 'bun';

const root = new URL('../..', import.meta.url).pathname;
let built: Promise<string> | undefined;

/** Builds dist/breakwater once per test process and returns its path. */
export function buildExecutable(): Promise<string> {
  built ??= $`${process.execPath} run build`
    .cwd(root)
    .quiet()
    .then(() => `${root}dist/breakwater`);

  return built;
}
