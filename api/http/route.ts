import type { EntityManager } from '@mikro-orm/core';
import type { Request, Response } from 'express';
import type { User } from '../../domain/identity/user.entity';

/**
 * Who may call a route. Every route declares one; the server enforces it before the handler
 * runs (api/http/mount-routes.ts), and the access-control test enumerates them.
 */
export type Access = 'public' | 'user' | 'operator';

export interface RequestContext {
  req: Request;
  res: Response;
  em: EntityManager;
  /** Set for every access level except 'public' (where it may still be set). */
  user: User | null;
  ip: string | null;
}

export interface AuthedContext extends RequestContext {
  user: User;
}

export interface RouteDef {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  access: Access;
  /** Accepts one multipart file field named `file`. */
  upload?: boolean;
  /** Returns the JSON body (status 200, or `status`), or undefined when it wrote the response itself. */
  handler(ctx: AuthedContext): Promise<unknown>;
  status?: number;
}

export const route = (def: RouteDef): RouteDef => def;
