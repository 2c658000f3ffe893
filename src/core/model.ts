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

/** member (構成員), suspended (資格停止), withdrawn (退会), expelled (除名). */
export const membershipStatuses = ['member', 'suspended', 'withdrawn', 'expelled'] as const;
export const MembershipStatus = z.enum(membershipStatuses);
export type MembershipStatus = z.infer<typeof MembershipStatus>;

/** The steering committee's special approval (特別承認) that lets a foreign-capital organisation into the task force. */
export const SpecialApproval = z.object({ at: z.string(), reason: z.string() });
export type SpecialApproval = z.infer<typeof SpecialApproval>;

/** A contact person (担当者) of an applicant or member organisation. */
export const Contact = z.object({
  name: z.string().trim().min(1).max(100),
  department: z.string().trim().max(200).default(''),
  email: z.email().max(254),
  phone: z
    .string()
    .trim()
    .regex(/^[0-9+\-() ]{6,24}$/),
});
export type Contact = z.infer<typeof Contact>;

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
  // Membership (src/core/membership): standing, sanctions, the committee's special approval, roster consent.
  status: MembershipStatus,
  statusReason: z.string().nullable(),
  specialApproval: SpecialApproval.nullable(),
  foreignCapitalShare: z.number().nullable(),
  rosterConsent: z.boolean(),
  periodJoined: z.number().int().nullable(),
  contacts: z.array(Contact),
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
  foreignCapitalShare: z.number().min(0).max(100).nullable().optional(),
  rosterConsent: z.boolean().default(false),
});
export type OrganizationCreate = z.infer<typeof OrganizationCreate>;

// Spelt out rather than `OrganizationCreate.partial()`: zod 4 still applies `.default()` inside `.partial()`,
// so a PATCH naming one field would reset the class, designation and foreign-capital flag to their defaults.
export const OrganizationUpdate = z.object({
  nameJa: name(200).optional(),
  nameEn: name(200).optional(),
  category: Category.optional(),
  sector: Sector.nullable().optional(),
  foreignCapital: z.boolean().optional(),
  memberClass: MemberClass.optional(),
  designated: z.boolean().optional(),
  foreignCapitalShare: z.number().min(0).max(100).nullable().optional(),
  rosterConsent: z.boolean().optional(),
  active: z.boolean().optional(),
});
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
  /** Member of the steering committee (運営委員会); set by a secretariat administrator. */
  isCommittee: z.boolean(),
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
