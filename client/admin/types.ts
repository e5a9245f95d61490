/**
 * What the admin page reads and writes, typed from the server's own schemas
 * (server/contract/access.ts), and where each lives.
 */
import type { Static } from 'typebox';
import type {
  AuditEntry as AuditEntrySchema,
  FeedKeyCreated as FeedKeyCreatedSchema,
  FeedKeyInfo as FeedKeyInfoSchema,
  User as UserSchema,
  UserWithPassword as UserWithPasswordSchema,
  WallLink as WallLinkSchema,
} from '../../server/contract/access.ts';

export type User = Static<typeof UserSchema>;
export type UserWithPassword = Static<typeof UserWithPasswordSchema>;
export type WallLink = Static<typeof WallLinkSchema>;
export type FeedKey = Static<typeof FeedKeyInfoSchema>;
export type FeedKeyCreated = Static<typeof FeedKeyCreatedSchema>;
export type AuditEntry = Static<typeof AuditEntrySchema>;

export const USERS_PATH = '/api/v1/users';
export const WALL_LINKS_PATH = '/api/v1/wall-links';
export const FEED_KEYS_PATH = '/api/v1/feed-keys';
export const AUDIT_PATH = '/api/v1/audit';
