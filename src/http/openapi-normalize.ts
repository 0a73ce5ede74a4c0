import type { OpenAPIV3 } from 'openapi-types';
import { withoutTrailingSlash } from '../shared/paths.ts';

type Schema = OpenAPIV3.SchemaObject | OpenAPIV3.ReferenceObject;

export interface NormalizedPaths {
  paths: OpenAPIV3.PathsObject;
  /** Response schemas with a `title`, shared by every response that sends them. */
  schemas: Record<string, Schema>;
}

export interface NormalizeOptions {
  /** A response's description when the schema gives none, for statuses it knows. */
  describeStatus: (status: number) => string | undefined;
}

const undeclaredResponse: OpenAPIV3.ResponseObject = { description: 'Not described by a schema' };

const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

const mediaTypeKeyword = 'x-media-type';

/** Marks a response schema with the media type it is sent as; the generator knows JSON only. */
export function mediaType(type: string): Record<typeof mediaTypeKeyword, string> {
  return { [mediaTypeKeyword]: type };
}

/**
 * Irons out what the generator writes in a way the service does not behave or clients misread.
 * `paths` must be plain JSON, no longer shared with the route schemas.
 */
export function normalizePaths(
  paths: OpenAPIV3.PathsObject,
  options: NormalizeOptions,
): NormalizedPaths {
  const normalized: NormalizedPaths = { paths: {}, schemas: {} };
  for (const [path, item = {}] of Object.entries(paths)) {
    const key = withoutTrailingSlash(path);
    normalized.paths[key] = {
      ...normalized.paths[key],
      ...normalizeOperations(item, (operation) => normalizeOperation(operation, normalized, options)),
    };
  }

  return normalized;
}

function normalizeOperations(
  item: OpenAPIV3.PathItemObject,
  normalizeOne: (operation: OpenAPIV3.OperationObject) => OpenAPIV3.OperationObject,
): OpenAPIV3.PathItemObject {
  const normalized: OpenAPIV3.PathItemObject = { ...item };
  for (const method of methods) {
    const operation = item[method];
    if (operation) normalized[method] = normalizeOne(operation);
  }

  return normalized;
}

function normalizeOperation(
  operation: OpenAPIV3.OperationObject,
  shared: NormalizedPaths,
  options: NormalizeOptions,
): OpenAPIV3.OperationObject {
  const normalized = { ...operation };
  if (operation.parameters) {
    normalized.parameters = operation.parameters.map((parameter) =>
      'schema' in parameter && parameter.schema
        ? { ...parameter, schema: withoutTextForm(parameter.schema) }
        : parameter,
    );
  }

  // Swagger UI shows a tried request's answer only under declared responses.
  normalized.responses = operation.responses ? {} : { default: undeclaredResponse };
  for (const [status, response] of Object.entries(operation.responses ?? {})) {
    normalized.responses[status] =
      'content' in response ? normalizeResponse(status, response, shared, options) : response;
  }

  return normalized;
}

// Elysia accepts a numeric query value as text and so widens `t.Integer` to
// anyOf [string in integer format, integer]. A query parameter is text anyway: OpenAPI's
// `type: integer` already means "text that holds an integer", so the number form says it all.
function withoutTextForm(schema: Schema): Schema {
  if ('$ref' in schema || schema.anyOf?.length !== 2) return schema;

  const members = schema.anyOf.filter(
    (member): member is OpenAPIV3.SchemaObject => !('$ref' in member),
  );
  const number = members.find((member) => member.type === 'integer' || member.type === 'number');
  const text = members.find(
    ({ type, format }) => type === 'string' && (format === 'integer' || format === 'numeric'),
  );

  return number && text ? number : schema;
}

function normalizeResponse(
  status: string,
  response: OpenAPIV3.ResponseObject,
  shared: NormalizedPaths,
  { describeStatus }: NormalizeOptions,
): OpenAPIV3.ResponseObject {
  const { content = {}, ...rest } = response;
  const normalized: Record<string, OpenAPIV3.MediaTypeObject> = {};
  for (const [generatedType, media] of Object.entries(content)) {
    // For a void schema the generator writes `content: { type: 'void' }`, which is not a map of
    // media types; a response without a body has no content at all.
    if (!generatedType.includes('/') || !media.schema) continue;

    const { [mediaTypeKeyword]: sentAs = generatedType, ...schema } = openObjects(media.schema);
    normalized[String(sentAs)] = { ...media, schema: sharedByTitle(schema, shared) };
  }

  const description = rest.description === `Response for status ${status}` && describeStatus(+status);
  const described = description ? { ...rest, description } : rest;

  return Object.keys(normalized).length > 0 ? { ...described, content: normalized } : described;
}

// Elysia closes a response schema (`additionalProperties: false`) in place when it first
// compiles a route that uses it, and schemas are module constants shared by every app in the
// process: the document would depend on which routes had served traffic. Documented open,
// responses keep room for fields added later.
function openObjects(schema: Schema): Record<string, unknown> {
  const open = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(open);
    if (typeof value !== 'object' || value === null) return value;

    const entries = Object.entries(value).filter(
      ([key, member]) => !(key === 'additionalProperties' && member === false),
    );

    return Object.fromEntries(entries.map(([key, member]) => [key, open(member)]));
  };

  return open(schema) as Record<string, unknown>;
}

function sharedByTitle(schema: Record<string, unknown>, shared: NormalizedPaths): Schema {
  if (typeof schema.title !== 'string') return schema as Schema;

  shared.schemas[schema.title] = schema as Schema;

  return { $ref: `#/components/schemas/${schema.title}` };
}
