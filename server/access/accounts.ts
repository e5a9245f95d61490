/**
 * Account and wall-link changes with their audit lines, in the caller's transaction: the one
 * way the admin routes, the admin command and the first start make them. New and reset
 * accounts get a one-time password, returned once and stored only as its hash.
 */
import type { UserRole } from '../domain/access.ts';
import { hashPassword, oneTimePassword } from '../domain/passwords.ts';
import { audit } from '../store/audit.ts';
import { closeUserSessions } from '../store/sessions.ts';
import type { Queryable } from '../store/store.ts';
import { createUser, setPassword, type User } from '../store/users.ts';
import { createWallLink, revokeWallLink, type WallLink } from '../store/wall-links.ts';

/** The new account with its one-time password, or null when the username is taken. */
export async function createAccount(
  tx: Queryable,
  spec: { username: string; role: UserRole; subdistrict: string | null },
  actor: string,
): Promise<{ user: User; password: string } | null> {
  const password = oneTimePassword();
  const user = await createUser(tx, { ...spec, passwordHash: await hashPassword(password) });
  if (!user) return null;
  await audit(tx, actor, 'user.created', user.username, { role: user.role, subdistrict: user.subdistrict });
  return { user, password };
}

/** A new one-time password for the account; its sessions end. */
export async function resetPassword(tx: Queryable, user: Pick<User, 'id' | 'username'>, actor: string): Promise<string> {
  const password = oneTimePassword();
  await setPassword(tx, user.id, await hashPassword(password), true);
  await closeUserSessions(tx, user.id);
  await audit(tx, actor, 'user.password-reset', user.username);
  return password;
}

export async function createLink(
  tx: Queryable,
  spec: { name: string; subdistrict: string | null; expiresAt: Date | null },
  actor: string,
): Promise<WallLink> {
  const link = await createWallLink(tx, { ...spec, createdBy: actor });
  await audit(tx, actor, 'wall-link.created', link.id, spec);
  return link;
}

/** Revokes an active link (its sessions end); false when there is none. */
export async function revokeLink(tx: Queryable, id: string, actor: string): Promise<boolean> {
  const revoked = await revokeWallLink(tx, id);
  if (revoked) await audit(tx, actor, 'wall-link.revoked', id);
  return revoked;
}
