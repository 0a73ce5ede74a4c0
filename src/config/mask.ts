import { maskRedisUrl } from './redis-url.ts';
import type { VariableSpec } from './schema.ts';

/** How a variable's text may be shown to people and logs: secrets never appear. */
export function maskValue(spec: Pick<VariableSpec, 'secret'>, text: string): string {
  switch (spec.secret) {
    case 'whole':
      return `**** (${new TextEncoder().encode(text).length} bytes)`;
    case 'url-secrets':
      return maskRedisUrl(text);
    case undefined:
      return text;
    default:
      return unreachable(spec.secret);
  }
}

function unreachable(secret: never): never {
  throw new Error(`unknown secret part: ${String(secret)}`);
}
