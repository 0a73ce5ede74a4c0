import type { OpenAPIV3 } from 'openapi-types';
import { withoutTrailingSlash } from '../shared/paths.ts';

type Schema = OpenAPIV3.SchemaObject | OpenAPIV3.ReferenceObject;

const undeclaredResponse: OpenAPIV3.ResponseObject = { description: 'Not described by a schema' };

const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** Irons out what the generator writes in a way the service does not behave or clients misread. */
export function normalizePaths(paths: OpenAPIV3.PathsObject): OpenAPIV3.PathsObject {
  const normalized: OpenAPIV3.PathsObject = {};
  for (const [path, item = {}] of Object.entries(paths)) {
    const key = withoutTrailingSlash(path);
    normalized[key] = { ...normalized[key], ...normalizeOperations(item) };
  }

  return normalized;
}

function normalizeOperations(item: OpenAPIV3.PathItemObject): OpenAPIV3.PathItemObject {
  const normalized: OpenAPIV3.PathItemObject = { ...item };
  for (const method of methods) {
    const operation = item[method];
    if (operation) normalized[method] = normalizeOperation(operation);
  }

  return normalized;
}

function normalizeOperation(operation: OpenAPIV3.OperationObject): OpenAPIV3.OperationObject {
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
    normalized.responses[status] = 'content' in response ? withMediaTypesOnly(response) : response;
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

// For a void schema the generator writes `content: { type: 'void' }`, which is not a map of
// media types; a response without a body has no content at all.
function withMediaTypesOnly(response: OpenAPIV3.ResponseObject): OpenAPIV3.ResponseObject {
  const { content = {}, ...rest } = response;
  const mediaTypes = Object.entries(content).filter(([mediaType]) => mediaType.includes('/'));

  return mediaTypes.length > 0 ? { ...rest, content: Object.fromEntries(mediaTypes) } : rest;
}
