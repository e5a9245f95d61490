/**
 * The wire shapes of accounts, sessions, wall links, feed keys, the audit log and volunteer
 * identities: TypeBox schemas, the single source of their types, validation and OpenAPI.
 */
import { Type, type Static } from 'typebox';
import { SUBDISTRICTS } from '../../geo/names.ts';
import { ROLES, USER_ROLES } from '../domain/access.ts';
import { SPECIALTIES, VOLUNTEER_STATUSES } from '../domain/vocabulary.ts';

const Subdistrict = Type.Enum(
  SUBDISTRICTS.map((s) => s.adcode),
  { description: 'adcode of one of the 15 subdistricts' },
);
/** null: the whole district. */
const Scope = Type.Union([Subdistrict, Type.Null()]);
const Username = Type.String({ minLength: 2, maxLength: 64, pattern: '^[A-Za-z0-9_.@\\-]+$' });
const Password = Type.String({ minLength: 1, maxLength: 256 });
const Time = Type.String({ format: 'date-time' });
const Name = Type.String({ minLength: 1, maxLength: 100 });

export const Login = Type.Object({ username: Type.String({ minLength: 1, maxLength: 64 }), password: Password });
export const PasswordChange = Type.Object({ current: Password, next: Password });
export const WallLinkOpen = Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }) });

export const Me = Type.Object({
  kind: Type.Enum(['user', 'wall-link', 'volunteer-link']),
  name: Type.String(),
  role: Type.Enum(ROLES),
  subdistrict: Scope,
  mustChangePassword: Type.Boolean(),
  /** send as X-CSRF-Token with every change */
  csrfToken: Type.String(),
});
export type Me = Static<typeof Me>;

export const User = Type.Object({
  id: Type.String(),
  username: Type.String(),
  role: Type.Enum(USER_ROLES),
  subdistrict: Scope,
  mustChangePassword: Type.Boolean(),
  createdAt: Time,
  disabledAt: Type.Union([Time, Type.Null()]),
});
export const Users = Type.Object({ users: Type.Array(User) });
export const NewUser = Type.Object({
  username: Username,
  role: Type.Enum(USER_ROLES),
  subdistrict: Type.Optional(Scope),
});
export const UserChange = Type.Object(
  { role: Type.Optional(Type.Enum(USER_ROLES)), subdistrict: Type.Optional(Scope), disabled: Type.Optional(Type.Boolean()) },
  { minProperties: 1 },
);
/** A new account, or a reset one, with its one-time password: shown only in this answer. */
export const UserWithPassword = Type.Object({ user: User, password: Type.String() });
export const IdParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

export const WallLink = Type.Object({
  id: Type.String(),
  name: Type.String(),
  subdistrict: Scope,
  createdBy: Type.String(),
  createdAt: Time,
  expiresAt: Type.Union([Time, Type.Null()]),
  revokedAt: Type.Union([Time, Type.Null()]),
  /** the address to open on the screen (it carries the signed token) */
  url: Type.String(),
});
export const WallLinks = Type.Object({ links: Type.Array(WallLink) });
export const NewWallLink = Type.Object({
  name: Name,
  subdistrict: Type.Optional(Scope),
  /** omitted: the link works until revoked */
  expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
});

export const FeedKeyInfo = Type.Object({
  id: Type.String(),
  name: Type.String(),
  coordinates: Type.Enum(['wgs84', 'gcj02']),
  simulated: Type.Boolean(),
  ratePerMinute: Type.Integer(),
  createdAt: Time,
  revokedAt: Type.Union([Time, Type.Null()]),
});
export const FeedKeys = Type.Object({ keys: Type.Array(FeedKeyInfo) });
export const NewFeedKey = Type.Object({
  name: Name,
  coordinates: Type.Optional(Type.Enum(['wgs84', 'gcj02'])),
  simulated: Type.Optional(Type.Boolean()),
  ratePerMinute: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
});
/** The key's token is shown only in this answer. */
export const FeedKeyCreated = Type.Object({ key: FeedKeyInfo, token: Type.String() });

export const AuditEntry = Type.Object({
  id: Type.String(),
  at: Time,
  actor: Type.String(),
  action: Type.String(),
  target: Type.Union([Type.String(), Type.Null()]),
  details: Type.Record(Type.String(), Type.Unknown()),
});
export const AuditQuery = Type.Object({
  limit: Type.Optional(Type.String({ pattern: '^[1-9]\\d{0,2}$', description: '1–999, default 100' })),
  before: Type.Optional(Type.String({ pattern: '^\\d{1,18}$', description: 'entries with a smaller id (the next page)' })),
});
export const AuditPage = Type.Object({ entries: Type.Array(AuditEntry) });

/** A volunteer as a coordinator sees one: with name, phone and device. Never on a wall. */
export const VolunteerIdentity = Type.Object({
  id: Type.String(),
  name: Type.String(),
  phone: Type.Union([Type.String(), Type.Null()]),
  deviceId: Type.Union([Type.String(), Type.Null()]),
  team: Type.String(),
  teamName: Type.String(),
  subdistrict: Type.String(),
  specialty: Type.Enum(SPECIALTIES),
  status: Type.Enum(VOLUNTEER_STATUSES),
});
export const VolunteerIdentities = Type.Object({ volunteers: Type.Array(VolunteerIdentity) });
