/**
 * The domain vocabulary as zod schemas: the single source of request/response shapes for the API,
 * the OpenAPI document and the web UI.
 */
import { z } from 'zod';

export const memberClasses = ['none', 'general', 'type2', 'type1'] as const;
export const MemberClass = z.enum(memberClasses);
export type MemberClass = z.infer<typeof MemberClass>;

/** 国の関係行政機関, 地方公共団体, 重要インフラ事業者, サイバー関連事業者, 大学・教育研究機関, 事業者の団体 */
export const categories = [
  'national_agency',
  'local_government',
  'critical_infrastructure',
  'cyber_business',
  'university',
  'business_association',
] as const;
export const Category = z.enum(categories);
export type Category = z.infer<typeof Category>;

/** Japan's critical-infrastructure sectors (重要インフラ分野), as listed in the national action plan. */
export const sectors = [
  'information_communication',
  'finance',
  'aviation',
  'airport',
  'railway',
  'electricity',
  'gas',
  'government_services',
  'medical',
  'water',
  'logistics',
  'chemical',
  'credit_card',
  'petroleum',
  'port',
] as const;
export const Sector = z.enum(sectors);
export type Sector = z.infer<typeof Sector>;

export const userRoles = ['admin', 'analyst', 'viewer'] as const;
export const UserRole = z.enum(userRoles);
export type UserRole = z.infer<typeof UserRole>;

export const Locale = z.enum(['ja', 'en']);

export const Id = z.uuid();

const name = (max: number) => z.string().trim().min(1).max(max);

export const Organization = z.object({
  id: Id,
  nameJa: z.string(),
  nameEn: z.string(),
  category: Category,
  sector: Sector.nullable(),
  foreignCapital: z.boolean(),
  memberClass: MemberClass,
  designated: z.boolean(),
  isSecretariat: z.boolean(),
  active: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Organization = z.infer<typeof Organization>;

export const OrganizationCreate = z.object({
  nameJa: name(200),
  nameEn: name(200),
  category: Category,
  sector: Sector.nullable().optional(),
  foreignCapital: z.boolean().default(false),
  memberClass: MemberClass.default('none'),
  designated: z.boolean().default(false),
});
export type OrganizationCreate = z.infer<typeof OrganizationCreate>;

export const OrganizationUpdate = OrganizationCreate.partial().extend({ active: z.boolean().optional() });
export type OrganizationUpdate = z.infer<typeof OrganizationUpdate>;

/** Login IDs are case-insensitive: stored in lower case. */
export const Login = z
  .string()
  .trim()
  .min(3)
  .max(64)
  .regex(/^[A-Za-z0-9._@-]+$/)
  .transform((s) => s.toLowerCase());

export const Password = z.string().min(12).max(256);

export const User = z.object({
  id: Id,
  orgId: Id,
  login: z.string(),
  displayName: z.string(),
  email: z.string(),
  role: UserRole,
  locale: Locale,
  totpEnabled: z.boolean(),
  active: z.boolean(),
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
});
export type User = z.infer<typeof User>;

export const UserCreate = z.object({
  login: Login,
  displayName: name(100),
  email: z.email().max(254),
  role: UserRole,
  locale: Locale.default('ja'),
  /** Omitted: a random initial password is generated and returned once. */
  password: Password.optional(),
});
export type UserCreate = z.infer<typeof UserCreate>;

export const UserUpdate = z.object({
  displayName: name(100).optional(),
  email: z.email().max(254).optional(),
  role: UserRole.optional(),
  active: z.boolean().optional(),
});
export type UserUpdate = z.infer<typeof UserUpdate>;

export const ApiToken = z.object({
  id: Id,
  name: z.string(),
  prefix: z.string(),
  readOnly: z.boolean(),
  expiresAt: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type ApiToken = z.infer<typeof ApiToken>;

export const ApiTokenCreate = z.object({
  name: name(100),
  expiresInDays: z.number().int().min(1).max(730).default(90),
  readOnly: z.boolean().default(false),
});
export type ApiTokenCreate = z.infer<typeof ApiTokenCreate>;

export const AuditEntry = z.object({
  seq: z.number().int(),
  at: z.string(),
  actorUserId: z.string().nullable(),
  actorOrgId: z.string().nullable(),
  actorLabel: z.string(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
  ip: z.string().nullable(),
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditQuery = z.object({
  action: z.string().max(100).optional(),
  actorUserId: Id.optional(),
  actorOrgId: Id.optional(),
  targetId: z.string().max(100).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

export const PageQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type PageQuery = z.infer<typeof PageQuery>;

/** A keyset page: `next` is null on the last page. */
export const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), next: z.string().nullable() });
export type Page<T> = { items: T[]; next: string | null };
