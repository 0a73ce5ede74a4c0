import { toOpenAPISchema } from '@elysiajs/openapi';
import type { AnyElysia, InternalRoute } from 'elysia';
import type { OpenAPIV3 } from 'openapi-types';
import { normalizePaths } from './openapi-normalize.ts';
import { problemTitle } from './problem-schema.ts';

export interface DocumentDescription {
  title: string;
  version: string;
  description: string;
  tags: OpenAPIV3.TagObject[];
}

export interface OpenApiDocument {
  openapi: string;
  info: OpenAPIV3.InfoObject;
  tags: OpenAPIV3.TagObject[];
  paths: OpenAPIV3.PathsObject;
  components: {
    schemas: Record<string, unknown>;
    securitySchemes: Record<string, OpenAPIV3.SecuritySchemeObject>;
  };
}

const openapiVersion = '3.1.2';

/** What the generator reads from an Elysia instance; Elysia marks both methods protected. */
interface RouteSource {
  getGlobalRoutes(): InternalRoute[];
  getGlobalDefinitions(): { type: Record<string, unknown> };
}

const bearerScheme: OpenAPIV3.SecuritySchemeObject = {
  type: 'http',
  scheme: 'bearer',
  bearerFormat: 'JWT',
  description: 'The `token` that POST /auth/login returns.',
};

/** The OpenAPI document of every route `app` can see, generated from the route schemas. */
export function buildOpenApiDocument(app: AnyElysia, about: DocumentDescription): OpenApiDocument {
  const generated = toOpenAPISchema(
    asJsonBodied(app as unknown as RouteSource),
    undefined,
    undefined,
    undefined,
    openapiVersion,
  );
  // A copy: the generator hands out the route schemas themselves, which Elysia changes later.
  const { paths, components } = JSON.parse(JSON.stringify(generated)) as typeof generated;
  const normalized = normalizePaths(paths, { describeStatus: problemTitle });

  return {
    openapi: openapiVersion,
    info: { title: about.title, version: about.version, description: about.description },
    tags: about.tags,
    paths: normalized.paths,
    components: {
      schemas: { ...components.schemas, ...normalized.schemas },
      securitySchemes: { bearer: bearerScheme },
    },
  };
}

/**
 * Every body goes through the one JSON parser of request-lifecycle.ts, a function hook the
 * generator cannot read: it then leaves request bodies without content. Naming the JSON
 * parser instead makes it emit the body schema as application/json.
 */
function asJsonBodied(source: RouteSource): AnyElysia {
  const routes = () =>
    source.getGlobalRoutes().map((route) => ({
      ...route,
      hooks: { ...route.hooks, parse: [{ fn: 'application/json' }] },
    }));
  const facade: RouteSource = {
    getGlobalRoutes: routes,
    getGlobalDefinitions: () => source.getGlobalDefinitions(),
  };

  return facade as unknown as AnyElysia;
}
