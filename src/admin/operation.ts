import type { z } from 'zod';
import type { AdminContext } from '../accounts/admin';
import type { GatewayDeps } from '../deps';
import type { Context } from '../http/context';
import type { AdminAccess } from './access';

export type AdminMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface OperationInput {
  params: Record<string, string>;
  query: any;
  body: any;
  /** The If-Match header of a PATCH (the router has made sure there is one). */
  ifMatch: string | null;
  deps: GatewayDeps;
  admin: AdminContext;
  ctx: Context;
}

export interface OperationResult {
  status?: number;
  body?: unknown;
  etag?: string;
  /** What the audit entry names when the path does not (a created resource). */
  target?: string;
}

/**
 * One operation of the admin API, declared once: the router mounts it, validates its parameters,
 * query and body with these zod schemas, and the OpenAPI document (openapi.ts) is generated from
 * the same declarations, so the document cannot describe a request the API would refuse.
 */
export interface Operation {
  id: string;
  method: AdminMethod;
  /** OpenAPI style, relative to /admin/api/v1: `/clients/{client_id}`. */
  path: string;
  tag: string;
  summary: string;
  access: AdminAccess;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** The JSON answer (absent: 204 No Content). */
  response?: z.ZodType;
  /** 200 unless given (201 for a create). */
  status?: 200 | 201 | 204;
  /** The answer carries an ETag. */
  etag?: boolean;
  /** A conditional update: If-Match required (428), compared (412). */
  ifMatch?: boolean;
  /** Changes are recorded in the audit log under this target kind. */
  audit?: string;
  handle(input: OperationInput): Promise<OperationResult>;
}

export const ADMIN_API_BASE = '/admin/api/v1';
