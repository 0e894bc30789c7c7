import type { EntityManager } from '@mikro-orm/core';
import type { Request, Response } from 'express';
import type { Enterprise } from '../../domain/enterprises/enterprise.entity';
import type { Membership } from '../../domain/enterprises/membership.entity';
import type { Session } from '../../domain/identity/session.entity';
import type { User } from '../../domain/identity/user.entity';

/**
 * Who may call a route. Every route declares one; mount-routes.ts enforces it before the handler
 * runs, and the access-control matrix test calls every route as every kind of caller.
 * - public: anyone; user: logged in; verified: logged in and 实名认证 passed;
 * - console: acting as an enterprise as its 管理员 or 印章管理员 (企业控制台);
 * - enterprise_admin: acting as an enterprise as its 管理员;
 * - operator: platform operator (管理后台).
 */
export const ACCESS_LEVELS = ['public', 'user', 'verified', 'console', 'enterprise_admin', 'operator'] as const;
export type Access = (typeof ACCESS_LEVELS)[number];

/** The enterprise a request acts for (切换至企业), with the caller's active membership. */
export interface ActingEnterprise {
  enterprise: Enterprise;
  membership: Membership;
}

export interface RequestContext {
  req: Request;
  res: Response;
  em: EntityManager;
  user: User | null;
  session: Session | null;
  acting: ActingEnterprise | null;
  ip: string | null;
}

export interface AuthedContext extends RequestContext {
  user: User;
  session: Session;
}

export interface ConsoleContext extends AuthedContext {
  acting: ActingEnterprise;
}

/** Who did it, for the audit trail: the signed-in user and the request's address. */
export const actorOf = (ctx: AuthedContext) => ({ id: ctx.user.id, name: ctx.user.name, ip: ctx.ip });

export interface RouteDef {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  access: Access;
  /** Accepts one multipart file field named `file`. */
  upload?: boolean;
  /** The largest file this upload route takes, bytes (default: the platform's MAX_UPLOAD_BYTES): refused (413) before it is read when the request declares more. */
  maxUploadBytes?: number;
  /**
   * A heavy request: its work holds a document thread or the Word engine for up to its time budget. One
   * user has at most HEAVY_REQUESTS_PER_USER heavy requests and uploads (which hold their body in memory
   * until it has arrived) in flight, on all those routes together; more are refused (429
   * REQUESTS_IN_PROGRESS) before the body is read.
   */
  heavy?: true;
  /**
   * The largest JSON body this route reads, bytes. Default: 1 MiB for routes that need a login, and
   * ANONYMOUS_JSON_BYTES for public ones (anyone may send them, from anywhere: a stalled body holds its memory).
   */
  maxJsonBytes?: number;
  /**
   * Runs after the access check and BEFORE the body is read (`ctx.req.body` is not set yet): a check on the path,
   * the query or the caller that refuses by throwing, so a request that would be refused anyway never makes the
   * server read (and hold) its body. The refusal answers with `Connection: close` while the body is still arriving
   * (errors.ts), so a stalled body is not waited for. Whatever it checked may change before the handler runs: the
   * handler checks again. E.g. the phone's signature POST (anyone may send 700 KB there): the link must exist and
   * be open.
   */
  beforeBody?(ctx: ConsoleContext): Promise<void>;
  /** Returns the JSON body (status 200, or `status`), or undefined when it wrote the response itself. */
  handler(ctx: ConsoleContext): Promise<unknown>;
  status?: number;
}

/** The JSON body a public route reads unless it says otherwise (RouteDef.maxJsonBytes): logins and registrations are small. */
export const ANONYMOUS_JSON_BYTES = 16 * 1024;

/** Heavy requests (RouteDef.heavy) and uploads of one user in flight at once, per API process. */
export const HEAVY_REQUESTS_PER_USER = 2;

export const route = (def: RouteDef): RouteDef => def;
