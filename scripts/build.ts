// `bun run build`: one executable at dist/breakwater. Its migrations come from the checked-in
// src/db/migrations.generated.ts (`bun run db:generate` refreshes it; a test keeps it in step).
import { $ } from 'bun';

const root = new URL('..', import.meta.url).pathname;
const outfile = `${root}dist/breakwater`;

// The executable must not pick up a .env or bunfig.toml from whatever folder it runs in:
// its configuration is the environment, validated at boot.
await $`${process.execPath} build ${root}src/main.ts --compile --minify --sourcemap=inline \
  --bytecode --format=esm --target=bun \
  --no-compile-autoload-dotenv --no-compile-autoload-bunfig \
  --outfile ${outfile}`.cwd(root);

console.log(`built ${outfile}`);
