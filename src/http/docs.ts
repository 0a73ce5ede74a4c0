import { Elysia } from 'elysia';
import swaggerUiScript from 'swagger-ui-dist/swagger-ui-bundle.js' with { type: 'file' };
import swaggerUiStyles from 'swagger-ui-dist/swagger-ui.css' with { type: 'file' };
import packageJson from '../../package.json' with { type: 'json' };
import { buildOpenApiDocument, type OpenApiDocument } from './openapi-document.ts';

export const docsPaths = {
  page: '/docs',
  document: '/docs/json',
  script: '/docs/swagger-ui-bundle.js',
  styles: '/docs/swagger-ui.css',
  start: '/docs/start.js',
} as const;

const about = {
  title: 'breakwater',
  version: packageJson.version,
  description: 'A journal API: people write and read their own entries.',
  tags: [
    { name: 'auth', description: 'Accounts and access tokens' },
    { name: 'entries', description: "The signed-in user's journal entries" },
    { name: 'webhooks', description: 'URLs that receive signed entry events' },
    { name: 'operations', description: 'Health checks and metrics; no token needed' },
  ],
};

// The page loads nothing but what this service serves: it must work where no CDN is reachable.
const pagePolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const page = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${about.title} API</title>
    <link rel="icon" href="data:,">
    <link rel="stylesheet" href="${docsPaths.styles}">
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="${docsPaths.script}"></script>
    <script src="${docsPaths.start}"></script>
  </body>
</html>
`;

const uiOptions = { url: docsPaths.document, dom_id: '#swagger-ui', validatorUrl: null };
const start = `window.ui = SwaggerUIBundle(${JSON.stringify(uiOptions)});\n`;

const hidden = { detail: { hide: true } };

/** GET /docs: the API reference page; GET /docs/json: the OpenAPI document it renders. */
export function docsRoutes() {
  const docs = new Elysia();
  // Built on first request, when every route of the app is registered.
  let document: OpenApiDocument | undefined;

  return docs
    .get(docsPaths.page, () => respond(page, 'text/html; charset=utf-8', noStore), hidden)
    .get(docsPaths.document, () => (document ??= buildOpenApiDocument(docs, about)), hidden)
    .get(docsPaths.start, () => respond(start, 'text/javascript; charset=utf-8', noStore), hidden)
    .get(
      docsPaths.script,
      () => respond(Bun.file(swaggerUiScript), 'text/javascript; charset=utf-8', cacheable),
      hidden,
    )
    .get(
      docsPaths.styles,
      () => respond(Bun.file(swaggerUiStyles), 'text/css; charset=utf-8', cacheable),
      hidden,
    );
}

const noStore = 'no-store';
const cacheable = 'public, max-age=3600';

function respond(body: string | Blob, contentType: string, cacheControl: string): Response {
  return new Response(body, {
    headers: {
      'content-type': contentType,
      'cache-control': cacheControl,
      'content-security-policy': pagePolicy,
      'x-content-type-options': 'nosniff',
    },
  });
}
