import { z } from 'zod';
import type { ApiRegistry, RouteSpec } from './route.ts';
import { ErrorCode, errorStatus } from '../../shared/errors.ts';

type AnySpec = RouteSpec<z.ZodType, z.ZodType, z.ZodType, z.ZodType>;
type JsonSchema = Record<string, unknown>;

const ErrorBodySchema = z.object({
  error: z.object({ code: z.enum(Object.values(ErrorCode)), message: z.string(), details: z.unknown().optional() }),
});

/**
 * zod writes a record keyed by an enum (counts by stakeholder group) as
 * `additionalProperties` plus `required: [every key]`, which leaves the
 * required keys undefined as far as OpenAPI 3.0 tools are concerned. Spell
 * those keys out as properties, each with the record's value schema.
 */
function defineRequiredKeys(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(defineRequiredKeys);
  if (!node || typeof node !== 'object') return;
  const schema = node as JsonSchema;
  Object.values(schema).forEach(defineRequiredKeys);
  const { required, additionalProperties } = schema;
  if (!Array.isArray(required) || !additionalProperties || typeof additionalProperties !== 'object') return;
  const properties = ((schema.properties as JsonSchema | undefined) ?? {}) as JsonSchema;
  const missing = (required as string[]).filter((key) => !(key in properties));
  if (missing.length === 0) return;
  for (const key of missing) properties[key] = structuredClone(additionalProperties);
  schema.properties = properties;
  // The keys are a closed set: other keys are not part of the contract.
  schema.additionalProperties = false;
}

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') => {
  const out = z.toJSONSchema(schema, { io, target: 'openapi-3.0', unrepresentable: 'any' }) as JsonSchema;
  defineRequiredKeys(out);
  return out;
};

function parameters(schema: z.ZodType | undefined, location: 'path' | 'query') {
  if (!(schema instanceof z.ZodObject)) return [];
  const { properties = {}, required = [] } = jsonSchema(schema, 'input') as {
    properties?: Record<string, unknown>;
    required?: string[];
  };
  return Object.entries(properties).map(([name, schema]) => ({
    name,
    in: location,
    required: location === 'path' || required.includes(name),
    schema,
  }));
}

/**
 * A stable, unique name for the operation unless the route declares one:
 * the method and the path's words, path parameters as `By<Name>`, e.g.
 * `DELETE /consultations/:id/members/:memberId` →
 * `deleteConsultationsByIdMembersByMemberId`. It changes only when the route's
 * method or path does, which is when clients have to change anyway.
 */
export function operationId(spec: Pick<AnySpec, 'method' | 'path' | 'operationId'>): string {
  if (spec.operationId) return spec.operationId;
  const capital = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);
  const words = spec.path
    .split('/')
    .filter(Boolean)
    .map((segment) => {
      const param = /^:(\w+)$/.exec(segment);
      if (param) return `By${capital(param[1]!)}`;
      return segment.split(/[^A-Za-z0-9]+/).filter(Boolean).map(capital).join('');
    });
  return spec.method + words.join('');
}

/**
 * The error codes a route can answer with, derived from how it is declared so
 * that routes added later are described without extra work:
 * - any request may carry a malformed JSON body (the body parser runs first);
 * - params, query or body can fail their schema; a body can be too large;
 * - signed-in routes answer 401 without a session;
 * - a route about a resource named in the path can find it missing (404) or
 *   the caller without the right to it (403), and a change to it can meet a
 *   concurrent change or a state that does not allow it (409);
 * - state-changing methods are refused from other sites (403).
 * `spec.errors` adds what a route gives beyond that (e.g. 429, 410).
 */
export function errorCodes(spec: AnySpec): ErrorCode[] {
  const codes = new Set<ErrorCode>([ErrorCode.badRequest]);
  const changes = spec.method !== 'get';
  const signedIn = spec.auth !== false;
  if (spec.params || spec.query || spec.body) codes.add(ErrorCode.validation);
  if (spec.body || spec.rawBody) codes.add(ErrorCode.payloadTooLarge);
  if (spec.rawBody) codes.add(ErrorCode.validation);
  if (signedIn) codes.add(ErrorCode.unauthenticated);
  if (changes) codes.add(ErrorCode.crossOrigin);
  if (spec.params) {
    codes.add(ErrorCode.notFound);
    if (signedIn) codes.add(ErrorCode.forbidden);
    if (signedIn && changes) codes.add(ErrorCode.muted);
    if (changes) codes.add(ErrorCode.conflict);
  }
  for (const code of spec.errors ?? []) codes.add(code);
  return [...codes];
}

const statusText: Record<number, string> = {
  400: 'The request is malformed or does not match its schema',
  401: 'Not signed in, or the credentials are not right',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Conflicts with the current state',
  410: 'No longer available',
  413: 'The request body is too large',
  429: 'Too many requests; the Retry-After header says when to try again',
  500: 'Something went wrong on the server',
  503: 'Temporarily unavailable',
};

const errorRef = { $ref: '#/components/schemas/Error' };

function errorResponses(codes: ErrorCode[]) {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) {
    const status = errorStatus[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries(
    [...byStatus].sort(([a], [b]) => a - b).map(([status, list]) => [
      String(status),
      {
        description: `${statusText[status] ?? 'Error'} (error.code: ${list.join(', ')})`,
        content: { 'application/json': { schema: errorRef } },
      },
    ]),
  );
}

/** The OpenAPI 3 description of every route in the registry, from the schemas the routes validate with. */
export function openApiDocument(registry: ApiRegistry, version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  const seen = new Map<string, string>();
  for (const spec of registry.specs) {
    const path = `/api${spec.path.replace(/:(\w+)/g, '{$1}')}`;
    const id = operationId(spec);
    const taken = seen.get(id);
    if (taken) throw new Error(`operationId ${id} is used by both ${taken} and ${spec.method} ${path}; declare one per route`);
    seen.set(id, `${spec.method} ${path}`);
    const status = String(spec.response ? (spec.status ?? 200) : 204);
    (paths[path] ??= {})[spec.method] = {
      operationId: id,
      summary: spec.summary,
      tags: [spec.tag],
      ...(spec.auth === false ? { security: [] } : {}),
      parameters: [...parameters(spec.params, 'path'), ...parameters(spec.query, 'query')],
      ...(spec.rawBody
        ? { requestBody: { required: true, content: Object.fromEntries(spec.rawBody.types.map((t) => [t, { schema: { type: 'string', format: 'binary' } }])) } }
        : {}),
      ...(spec.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(spec.body, 'input') } } } }
        : {}),
      responses: {
        [status]: spec.response
          ? { description: 'Success', content: { [spec.contentType ?? 'application/json']: { schema: jsonSchema(spec.response, 'output') } } }
          : { description: 'Success, no content' },
        ...errorResponses(errorCodes(spec)),
        default: { description: `${statusText[500]} (error.code: ${ErrorCode.internal}, ${ErrorCode.unavailable})`, content: { 'application/json': { schema: errorRef } } },
      },
    };
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'Convene API',
      version,
      description:
        'Consultations on National Human Rights Action Plans: accounts, memberships, invitations, documents, comments, meetings, polls, moderation and the audit log. Live events go over Socket.IO (see shared/events.ts). Every error answers with `{ error: { code, message } }`; clients translate `code`.',
      license: { name: 'AGPL-3.0-or-later', url: 'https://www.gnu.org/licenses/agpl-3.0.html' },
    },
    // Relative: the description is served by the server it describes, wherever that is deployed.
    servers: [{ url: '/', description: 'The server that serves this description' }],
    components: {
      securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'convene_session' } },
      schemas: { Error: jsonSchema(ErrorBodySchema, 'output') },
    },
    security: [{ session: [] }],
    paths,
  };
}
