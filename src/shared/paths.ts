/** `/entries/` → `/entries`: Elysia registers a prefixed group's root with a trailing slash. */
export function withoutTrailingSlash(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}
