import type { Actor } from '@runhub/router';

/** Hono's typed context variables, set once per request by the middleware. */
export interface AppEnv {
  Variables: {
    requestId: string;
    /** Set by `adminAuth` on the admin paths; null elsewhere. */
    actor: Actor | null;
  };
}
