import { z } from 'zod';
import type { GatewayDeps } from '../deps';
import type { Context } from '../http/context';
import { packageVersion } from '../version';
import { ADMIN_API_BASE, type Operation } from './operation';
import { adminOperations } from './operations';

type JsonSchema = Record<string, unknown>;

/** A zod schema as JSON Schema 2020-12 (OpenAPI 3.1's dialect), as a request sends it or an answer reads. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

const problem = { $ref: '#/components/responses/Problem' };

function parametersOf(op: Operation): JsonSchema[] {
  const out: JsonSchema[] = [];
  for (const [where, schema] of [['path', op.params], ['query', op.query]] as const) {
    if (!schema) continue;
    const json = jsonSchema(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
    for (const [name, property] of Object.entries(json.properties ?? {})) {
      const { description, ...propertySchema } = property;
      out.push({ name, in: where, required: where === 'path' || (json.required ?? []).includes(name), schema: propertySchema, ...(description ? { description } : {}) });
    }
  }
  if (op.ifMatch) out.push({ name: 'If-Match', in: 'header', required: true, schema: { type: 'string' }, description: 'The ETag of the representation being changed.' });
  return out;
}

function operationObject(op: Operation): JsonSchema {
  const status = String(op.status ?? 200);
  const success: JsonSchema = { description: op.summary };
  if (op.response && op.status !== 204) success.content = { 'application/json': { schema: jsonSchema(op.response, 'output') } };
  if (op.etag) success.headers = { ETag: { schema: { type: 'string' }, description: 'The representation\'s ETag (If-Match of a later PATCH).' } };
  const responses: JsonSchema = { [status]: success, '400': problem, '401': problem, '403': problem };
  if (op.params) responses['404'] = problem;
  if (op.ifMatch) Object.assign(responses, { '412': problem, '428': problem });
  if (op.method === 'POST' && op.status === 201) responses['409'] = problem;
  return {
    operationId: op.id,
    summary: op.summary,
    tags: [op.tag],
    'x-privilege': op.access === 'read' ? 'admin_read' : 'admin',
    parameters: parametersOf(op),
    ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(op.body, 'input') } } } } : {}),
    responses,
  };
}

/**
 * The OpenAPI 3.1 document of the admin API, generated from the operations' own zod schemas (the
 * ones that validate every request), so the document and the API cannot disagree.
 */
export function openApiDocument(): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const op of adminOperations) (paths[op.path] ??= {})[op.method.toLowerCase()] = operationObject(op);
  return {
    openapi: '3.1.0',
    info: {
      title: 'oauth-gateway admin API',
      version: packageVersion(),
      description:
        'Profiles, users, OAuth 2.0 clients, OAuth 1.0a consumers, grants (each one revocable alone), consents, the OpenID Connect signing keys, routes and the audit log (admin API, console and CLI changes). Bearer tokens whose profile holds the privilege `admin` (or `admin_read` for reads). Errors are RFC 9457 Problem Details.',
    },
    servers: [{ url: ADMIN_API_BASE }],
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An access token of this gateway.' } },
      responses: {
        Problem: {
          description: 'RFC 9457 Problem Details',
          content: {
            'application/problem+json': {
              schema: {
                type: 'object',
                required: ['type', 'title', 'status', 'detail'],
                properties: { type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string' }, code: { type: 'string' } },
              },
            },
          },
        },
      },
    },
  };
}

/** GET /admin/api/v1/openapi.json: built once per app (the operations do not change while it runs). */
export function openApiEndpoint(_deps: GatewayDeps) {
  const body = JSON.stringify(openApiDocument());
  return async function serveOpenApi(ctx: Context): Promise<void> {
    ctx.type = 'application/json';
    ctx.body = body;
  };
}
