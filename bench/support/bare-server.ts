import { LOOPBACK } from '../../test/support/free-port.ts';

const body = JSON.stringify({
  id: '00000000-0000-4000-8000-000000000000',
  title: 'entry 0',
  body: 'body of entry 0 '.repeat(20),
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

/** The ceiling: a plain `Bun.serve` answering an entry-sized JSON document. */
export function startBareServer() {
  return Bun.serve({
    hostname: LOOPBACK,
    port: 0,
    fetch: () => new Response(body, { headers: { 'content-type': 'application/json' } }),
  });
}
