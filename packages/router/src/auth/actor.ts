export const PERMISSIONS = ['inhouse.read', 'inhouse.write'] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Who is calling: the admin behind a request, as proven by a token or a session cookie. */
export interface Actor {
  /** The audit log's `admin_id`. */
  adminId: string;
  /** Permission strings; unknown ones from a session cookie are kept but grant nothing here. */
  permissions: readonly string[];
  /** Which credential proved it. */
  via: 'token' | 'session';
}

export function hasPermission(actor: Actor, permission: Permission): boolean {
  return actor.permissions.includes(permission);
}
