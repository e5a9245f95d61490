/**
 * User accounts: create, find for sign-in, list, change. Only password hashes are stored.
 * Failed sign-ins are counted per account; enough of them lock it for a while, whatever the
 * address they come from (a rate limit per address alone does not stop a slow, spread attack).
 */
import type { Role, UserRole } from '../domain/access.ts';
import type { Queryable } from './store.ts';

export interface User {
  id: string;
  username: string;
  role: UserRole;
  subdistrict: string | null;
  mustChangePassword: boolean;
  createdAt: string;
  disabledAt: string | null;
}

interface UserRow {
  id: string;
  username: string;
  role: UserRole;
  subdistrict: string | null;
  password_hash: string;
  must_change: boolean;
  failed_logins: number;
  locked_until: Date | null;
  created_at: Date;
  disabled_at: Date | null;
}

export const LOCK_AFTER_FAILURES = 10;
export const LOCK_MINUTES = 15;

function toUser(row: UserRow): User {
  return {
    id: String(row.id),
    username: row.username,
    role: row.role,
    subdistrict: row.subdistrict,
    mustChangePassword: row.must_change,
    createdAt: row.created_at.toISOString(),
    disabledAt: row.disabled_at?.toISOString() ?? null,
  };
}

export interface NewUser {
  username: string;
  role: UserRole;
  subdistrict: string | null;
  passwordHash: string;
}

/** The new user, or null when the username is taken. */
export async function createUser(q: Queryable, user: NewUser): Promise<User | null> {
  const { rows } = await q.query<UserRow>(
    `INSERT INTO users (username, role, subdistrict, password_hash) VALUES ($1, $2, $3, $4)
     ON CONFLICT (username) DO NOTHING RETURNING *`,
    [user.username, user.role, user.subdistrict, user.passwordHash],
  );
  return rows[0] ? toUser(rows[0]) : null;
}

export async function countUsers(q: Queryable): Promise<number> {
  const { rows } = await q.query<{ n: string }>('SELECT count(*) AS n FROM users');
  return Number(rows[0]!.n);
}

export async function listUsers(q: Queryable): Promise<User[]> {
  const { rows } = await q.query<UserRow>('SELECT * FROM users ORDER BY username');
  return rows.map(toUser);
}

export async function findUser(q: Queryable, id: string): Promise<User | null> {
  if (!/^\d{1,18}$/.test(id)) return null;
  const { rows } = await q.query<UserRow>('SELECT * FROM users WHERE id = $1', [id]);
  return rows[0] ? toUser(rows[0]) : null;
}

export interface Credentials {
  user: User;
  passwordHash: string;
  lockedUntil: Date | null;
}

/** An enabled account by username, with what sign-in checks. */
export async function findCredentials(q: Queryable, username: string): Promise<Credentials | null> {
  const { rows } = await q.query<UserRow>('SELECT * FROM users WHERE username = $1 AND disabled_at IS NULL', [username]);
  const row = rows[0];
  return row ? { user: toUser(row), passwordHash: row.password_hash, lockedUntil: row.locked_until } : null;
}

export async function passwordHashOf(q: Queryable, id: string): Promise<string | null> {
  const { rows } = await q.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = $1', [id]);
  return rows[0]?.password_hash ?? null;
}

/** Counts a failure; the LOCK_AFTER_FAILURES-th in a row locks the account for LOCK_MINUTES. */
export async function recordFailedLogin(q: Queryable, id: string): Promise<void> {
  await q.query(
    `UPDATE users SET failed_logins = failed_logins + 1,
       locked_until = CASE WHEN failed_logins + 1 >= $2 THEN now() + make_interval(mins => $3) ELSE locked_until END
     WHERE id = $1`,
    [id, LOCK_AFTER_FAILURES, LOCK_MINUTES],
  );
}

export async function recordSuccessfulLogin(q: Queryable, id: string): Promise<void> {
  await q.query('UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1', [id]);
}

export async function setPassword(q: Queryable, id: string, passwordHash: string, mustChange: boolean): Promise<void> {
  await q.query('UPDATE users SET password_hash = $2, must_change = $3, failed_logins = 0, locked_until = NULL WHERE id = $1', [
    id,
    passwordHash,
    mustChange,
  ]);
}

export interface UserChange {
  role?: UserRole;
  subdistrict?: string | null;
  disabled?: boolean;
}

export async function updateUser(q: Queryable, id: string, change: UserChange): Promise<User | null> {
  const { rows } = await q.query<UserRow>(
    `UPDATE users SET
       role = COALESCE($2, role),
       subdistrict = CASE WHEN $3 THEN $4 ELSE subdistrict END,
       disabled_at = CASE WHEN $5::boolean IS NULL THEN disabled_at WHEN $5 THEN COALESCE(disabled_at, now()) ELSE NULL END
     WHERE id = $1 RETURNING *`,
    [id, change.role ?? null, change.subdistrict !== undefined, change.subdistrict ?? null, change.disabled ?? null],
  );
  return rows[0] ? toUser(rows[0]) : null;
}

export type { Role };
