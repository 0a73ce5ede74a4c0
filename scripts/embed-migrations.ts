// Writes src/db/migrations.generated.ts from the drizzle-kit output in drizzle/, so the
// compiled executable carries its migrations instead of reading a folder at run time.
import { renderEmbeddedMigrations } from './migrations-source.ts';

const target = new URL('../src/db/migrations.generated.ts', import.meta.url);
await Bun.write(target, renderEmbeddedMigrations());
console.log(`wrote ${target.pathname}`);
