/**
 * The state an admin list shows for each row, from its timestamps: a wall link is revoked,
 * expired (past `expiresAt`) or active; a feed key revoked or active; an account disabled or
 * active. Pure, with the time passed in.
 */
import type { FeedKey, User, WallLink } from './types.ts';

export type RowState = 'active' | 'revoked' | 'expired' | 'disabled';

export function wallLinkState(link: Pick<WallLink, 'revokedAt' | 'expiresAt'>, now: number): RowState {
  if (link.revokedAt !== null) return 'revoked';
  if (link.expiresAt !== null && Date.parse(link.expiresAt) <= now) return 'expired';
  return 'active';
}

export function feedKeyState(key: Pick<FeedKey, 'revokedAt'>): RowState {
  return key.revokedAt === null ? 'active' : 'revoked';
}

export function userState(user: Pick<User, 'disabledAt'>): RowState {
  return user.disabledAt === null ? 'active' : 'disabled';
}
