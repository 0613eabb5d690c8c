import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import { parse } from './validate.ts';
import { AppError } from '../errors.ts';
import { ErrorCode } from '../../shared/errors.ts';
import type { Authenticated } from '../accounts/accounts.service.ts';

type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';

export interface RouteSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType> {
  method: Method;
  /** Express-style path below /api, e.g. `/consultations/:id`. */
  path: string;
  summary: string;
  tag: string;
  /** Whether a signed-in session is required (default true). */
  auth?: boolean;
  params?: P;
  query?: Q;
  body?: B;
  /** The success response; omitted for 204 No Content. */
  response?: R;
  status?: number;
  /** Sends the response as-is with this type instead of as JSON (e.g. `text/csv`); `response` should be a string. */
  contentType?: string;
  /** A name for the operation in the API description; derived from method and path when omitted (see openapi.ts). */
  operationId?: string;
  /**
   * Error codes this route gives beyond those its declaration implies (auth,
   * path parameters, body, method; see `errorCodes` in openapi.ts), e.g.
   * `rate_limited` on sign-in, so the API description lists them.
   */
  errors?: ErrorCode[];
  /**
   * The body is a file, not JSON: these content types are read as raw bytes
   * (up to `limit`, else 413) and handed to the handler as `req.body`, a Buffer.
   * `body` stays unset for such routes.
   */
  rawBody?: { types: readonly string[]; limit: number };
}

export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  /** Present on every route that requires auth. */
  auth: Authenticated;
  req: Request;
  res: Response;
}

type In<S> = S extends z.ZodType ? z.infer<S> : undefined;
type Out<S> = S extends z.ZodType ? z.input<S> : void;

const authOf = new WeakMap<Request, Authenticated>();
export const setAuth = (req: Request, auth: Authenticated) => authOf.set(req, auth);
export const getAuth = (req: Request): Authenticated | undefined => authOf.get(req);

/**
 * Routes are declared once with their zod schemas: the same declaration
 * validates requests and produces the OpenAPI description, so the two cannot
 * drift apart.
 */
export class ApiRegistry {
  readonly router = Router();
  readonly specs: RouteSpec<z.ZodType, z.ZodType, z.ZodType, z.ZodType>[] = [];

  add<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType>(
    spec: RouteSpec<P, Q, B, R>,
    handler: (input: RouteInput<In<P>, In<Q>, In<B>>) => Promise<Out<R>>,
  ): void {
    this.specs.push(spec as RouteSpec<z.ZodType, z.ZodType, z.ZodType, z.ZodType>);
    const raw: RequestHandler[] = spec.rawBody ? [rawBody(spec.rawBody.types, spec.rawBody.limit)] : [];
    this.router[spec.method](spec.path, ...raw, async (req, res) => {
      const auth = getAuth(req);
      if (spec.auth !== false && !auth) throw new AppError(ErrorCode.unauthenticated, 'Sign in first');
      const input = {
        params: (spec.params ? parse(spec.params, req.params) : undefined) as In<P>,
        query: (spec.query ? parse(spec.query, req.query) : undefined) as In<Q>,
        body: (spec.body ? parse(spec.body, req.body) : undefined) as In<B>,
        auth: auth as Authenticated,
        req,
        res,
      };
      const result = await handler(input);
      if (res.headersSent) return;
      if (spec.response && spec.contentType) res.status(spec.status ?? 200).type(spec.contentType).send(result);
      else if (spec.response) res.status(spec.status ?? 200).json(result);
      else res.status(204).end();
    });
  }
}

/** Reads a file body only for a signed-in session, so that nobody else can make the server buffer megabytes. */
function rawBody(types: readonly string[], limit: number): RequestHandler {
  const read = express.raw({ type: [...types], limit });
  return (req, res, next) => {
    if (!getAuth(req)) return next(new AppError(ErrorCode.unauthenticated, 'Sign in first'));
    if (!req.is([...types])) return next(new AppError(ErrorCode.validation, `Send the file with Content-Type ${types.join(', ')}`));
    read(req, res, next);
  };
}

export const IdParams = z.object({ id: z.uuid() });
