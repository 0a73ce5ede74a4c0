import { withoutTrailingSlash } from '../shared/paths.ts';

export interface RouteSummary {
  method: string;
  /** As registered: `/entries/:id`. */
  path: string;
}

export type RouteTemplateOf = (method: string, path: string) => string | undefined;
/** The methods some route answers at a path, for the `Allow` field of a 405; empty if none. */
export type RouteMethodsOf = (path: string) => string[];

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
  const compiled = compileRoutes(routes);

  return (method, path) => {
    const routeMethod = method === 'HEAD' ? 'GET' : method;
    const found = compiled.find(
      ({ method: accepted, pattern }) =>
        (accepted === routeMethod || accepted === 'ALL') && pattern.test(path),
    );

    return found?.template;
  };
}

export function routeMethodsMatcher(routes: readonly RouteSummary[]): RouteMethodsOf {
  const compiled = compileRoutes(routes);

  return (path) => {
    const methods = new Set<string>();
    for (const { method, pattern } of compiled) {
      if (method !== 'ALL' && pattern.test(path)) methods.add(method);
    }
    if (methods.has('GET')) methods.add('HEAD');

    return [...methods].sort();
  };
}

function compileRoutes(routes: readonly RouteSummary[]): CompiledRoute[] {
  return routes.map(({ method, path }) => ({ method, template: path, pattern: pathPattern(path) }));
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
