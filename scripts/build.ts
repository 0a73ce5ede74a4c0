// `bun run build`: one executable with its migrations embedded, at dist/breakwater.
import { $ } from 'bun';
import { renderEmbeddedMigrations } from './migrations-source.ts';

const root = new URL('..', import.meta.url).pathname;
const outfile = `${root}dist/breakwater`;

await Bun.write(`${root}src/db/migrations.generated.ts`, await renderEmbeddedMigrations());

// The executable must not pick up a .env or bunfig.toml from whatever folder it runs in:
// its configuration is the environment, validated at boot.
await $`${process.execPath} build ${root}src/main.ts --compile --minify --sourcemap=inline \
  --bytecode --format=esm --target=bun \
  --no-compile-autoload-dotenv --no-compile-autoload-bunfig \
  --outfile ${outfile}`.cwd(root);

console.log(`built ${outfile}`);
