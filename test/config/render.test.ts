import { describe, expect, test } from 'bun:test';
import { renderConfigTable, renderEnvExample } from '../../src/config/render.ts';
import { variables } from '../../src/config/schema.ts';

const contractVariables: string[] = [
  'PORT', 'HOST', 'DB_PATH', 'REDIS_URL', 'REDIS_HOST', 'REDIS_PORT', 'JWT_SECRET', 'JWT_TTL',
  'LOG_LEVEL', 'LOG_FORMAT', 'REQUEST_TIMEOUT', 'SHUTDOWN_TIMEOUT', 'RATE_LIMIT_REQUESTS',
  'RATE_LIMIT_WINDOW', 'AUTH_RATE_LIMIT_REQUESTS', 'AUTH_RATE_LIMIT_WINDOW', 'TRUST_PROXY',
  'MAX_BODY_SIZE', 'CACHE_TTL', 'REDIS_TIMEOUT', 'REDIS_BREAKER_THRESHOLD',
  'REDIS_BREAKER_COOLDOWN', 'REDIS_CONNECT_ATTEMPTS', 'REDIS_CONNECT_DELAY', 'WORKER_POOL_SIZE',
];

describe('the schema', () => {
  test('describes exactly the variables of the contract, each in one line', () => {
    const names = variables.map((spec): string => spec.name);

    expect(names.sort()).toEqual([...contractVariables].sort());
    for (const spec of variables) {
      expect(spec.description).not.toContain('\n');
      expect(spec.description.length).toBeGreaterThan(0);
    }
  });

  test('marks JWT_SECRET as the only required variable and the only whole secret', () => {
    const required = variables.filter((spec) => spec.required);
    const secret = variables.filter((spec) => spec.secret !== undefined);

    expect(required.map((spec) => spec.name)).toEqual(['JWT_SECRET']);
    expect(secret.map((spec) => [spec.name, spec.secret])).toEqual([
      ['REDIS_URL', 'url-secrets'],
      ['JWT_SECRET', 'whole'],
    ]);
  });
});

describe('renderEnvExample', () => {
  // After a schema change, regenerate the file from the repository root with:
  // bun -e "import { renderEnvExample } from './src/config/render.ts';
  //   await Bun.write('.env.example', renderEnvExample())"
  test('matches the committed .env.example', async () => {
    const committed = await Bun.file(new URL('../../.env.example', import.meta.url)).text();

    expect(committed).toBe(renderEnvExample());
  });

  test('sets each variable to its default under a line of meaning', () => {
    const lines = renderEnvExample().split('\n');
    for (const spec of variables) {
      const line = spec.default === undefined ? `${spec.name}=` : `${spec.name}=${spec.default}`;
      const index = lines.findIndex((candidate) => candidate.replace(/^# /, '') === line);

      expect(index).toBeGreaterThan(0);
      expect(lines[index - 1]).toBe(`# ${spec.description}`);
    }
  });

  test('leaves JWT_SECRET empty and optional variables without a default commented out', () => {
    const lines = renderEnvExample().split('\n');

    expect(lines).toContain('JWT_SECRET=');
    expect(lines).toContain('# REDIS_HOST=');
    expect(lines).toContain('# REDIS_PORT=');
  });
});

describe('renderConfigTable', () => {
  test('has a row per variable with its default and meaning', () => {
    const rows = renderConfigTable().split('\n');

    expect(rows.slice(0, 2)).toEqual(['| variable | default | meaning |', '|---|---|---|']);
    expect(rows).toHaveLength(variables.length + 2);
    expect(rows).toContain('| PORT | 8080 | listen port (0 picks any free port) |');
    expect(rows).toContain('| MAX_BODY_SIZE | 1mb | larger bodies get 413 (1kb = 1024 bytes) |');
    const rowOf = (name: string) => rows.find((row) => row.startsWith(`| ${name} |`));

    expect(rowOf('JWT_SECRET')).toStartWith('| JWT_SECRET | required |');
    expect(rowOf('REDIS_HOST')).toStartWith('| REDIS_HOST | (unset) |');
  });

  // After a schema change, paste the output of renderConfigTable() over the README's table.
  test("is the README's configuration table", async () => {
    const readme = await Bun.file(new URL('../../README.md', import.meta.url)).text();

    expect(readme).toContain(`\n${renderConfigTable()}\n`);
  });
});
