import { InvalidInput } from './problems.ts';

/** Deeper bodies are refused before any schema sees them: no route takes more than a few. */
export const maxJsonDepth = 32;

/**
 * Refuses a parsed JSON body that nests deeper than `maxJsonDepth` or holds a string (or key)
 * that is not well-formed UTF-16: a lone surrogate would be stored as U+FFFD, so the entry
 * acknowledged would not be the entry kept. Walks iteratively: the depth is the client's.
 */
export function checkJsonShape(body: unknown): void {
  const pending: { value: unknown; depth: number }[] = [{ value: body, depth: 0 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value, depth } = next;
    if (typeof value === 'string') {
      if (!value.isWellFormed()) throw notWellFormed();
      continue;
    }

    if (typeof value !== 'object' || value === null) continue;
    if (depth >= maxJsonDepth) {
      throw new InvalidInput(`the body nests deeper than ${maxJsonDepth} levels`);
    }

    for (const [key, child] of Object.entries(value)) {
      if (!key.isWellFormed()) throw notWellFormed();
      pending.push({ value: child, depth: depth + 1 });
    }
  }
}

function notWellFormed(): InvalidInput {
  return new InvalidInput('the body holds a string with a lone UTF-16 surrogate');
}
