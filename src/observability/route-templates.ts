import { withoutTrailingSlash } from '../shared/paths.ts';

export interface RouteSummary {
  method: string;
  /** As registered: `/entries/:id`. */
  path: string;
}

export type RouteTemplateOf = (method: string, path: string) => string | undefined;

interface CompiledRoute {
  method: string;
  template: string;
  pattern: RegExp;
}

/**
 * Finds the template of a request that was answered before routing (a 413 from its declared
 * length, a 429): Elysia routes after the request hooks, so its context has no `route` yet.
 * Matching follows Elysia's loose paths: a trailing slash is optional.
 */
export function routeTemplateMatcher(routes: readonly RouteSummary[]): RouteTemplateOf {
  const compiled: CompiledRoute[] = routes.map(({ method, path }) => ({
    method,
    template: path,
    pattern: pathPattern(path),
  }));

  return (method, path) => {
    const routeMethod = method === 'HEAD' ? 'GET' : method;
    const found = compiled.find(
      ({ method: accepted, pattern }) =>
        (accepted === routeMethod || accepted === 'ALL') && pattern.test(path),
    );

    return found?.template;
  };
}

function pathPattern(template: string): RegExp {
  const trimmed = withoutTrailingSlash(template);
  const segments = trimmed.split('/').map((segment) => {
    if (segment === '*') return '.*';
    if (segment.startsWith(':')) return segment.endsWith('?') ? '[^/]*' : '[^/]+';

    return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  });

  return new RegExp(`^${segments.join('/')}/?$`);
}
