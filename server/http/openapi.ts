import { z } from 'zod';
import type { ApiRegistry } from './route.ts';
import { ErrorCode } from '../../shared/errors.ts';

const ErrorBodySchema = z.object({
  error: z.object({ code: z.enum(Object.values(ErrorCode)), message: z.string(), details: z.unknown().optional() }),
});

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { io, target: 'openapi-3.0', unrepresentable: 'any' });

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

/** The OpenAPI 3 description of every route in the registry, from the schemas the routes validate with. */
export function openApiDocument(registry: ApiRegistry, version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of registry.specs) {
    const path = `/api${spec.path.replace(/:(\w+)/g, '{$1}')}`;
    const status = String(spec.response ? (spec.status ?? 200) : 204);
    (paths[path] ??= {})[spec.method] = {
      summary: spec.summary,
      tags: [spec.tag],
      ...(spec.auth === false ? { security: [] } : {}),
      parameters: [...parameters(spec.params, 'path'), ...parameters(spec.query, 'query')],
      ...(spec.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(spec.body, 'input') } } } }
        : {}),
      responses: {
        [status]: spec.response
          ? { description: 'Success', content: { [spec.contentType ?? 'application/json']: { schema: jsonSchema(spec.response, 'output') } } }
          : { description: 'Success, no content' },
        default: { description: 'Error', content: { 'application/json': { schema: jsonSchema(ErrorBodySchema, 'output') } } },
      },
    };
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'Convene API',
      version,
      description:
        'Consultations on National Human Rights Action Plans: accounts, memberships, invitations, documents, comments, meetings, polls, moderation and the audit log. Live events go over Socket.IO (see shared/events.ts).',
    },
    components: {
      securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'convene_session' } },
    },
    security: [{ session: [] }],
    paths,
  };
}
