import type { MemberClass, UserRole } from './model.js';
import type { Locale } from './messages.js';

/** A signed-in person, through a browser session or an API token. */
export interface UserActor {
  kind: 'user';
  userId: string;
  orgId: string;
  login: string;
  displayName: string;
  role: UserRole;
  locale: Locale;
  isSecretariat: boolean;
  memberClass: MemberClass;
  designated: boolean;
  /** Membership facts the access policy needs (filled in by the membership use cases). */
  foreignCapital: boolean;
  /** The committee's special approval lets a foreign-capital organisation into the task force. */
  specialApproval: boolean;
  /** A suspended organisation's users keep their accounts but see nothing non-public. */
  suspended: boolean;
  /** Member of the steering committee (運営委員会): decides applications, classes, sanctions. */
  isCommittee: boolean;
  /** Has accepted the current rulebooks and the confidentiality pledge that apply to them. */
  rulesAccepted: boolean;
  totpEnabled: boolean;
  via: 'session' | 'token';
  /** API tokens may be limited to reading. Sessions never are. */
  readOnly: boolean;
  sessionHash?: string;
  tokenId?: string;
}

export interface AnonymousActor {
  kind: 'anonymous';
}

/** The platform itself (first-start bootstrap, CLI administration, scheduled work). */
export interface SystemActor {
  kind: 'system';
  label: string;
}

export type Actor = UserActor | AnonymousActor | SystemActor;

export const anonymous: AnonymousActor = { kind: 'anonymous' };
export const system = (label: string): SystemActor => ({ kind: 'system', label });

/** How an actor appears in the audit log. */
export function actorLabel(actor: Actor): string {
  switch (actor.kind) {
    case 'user':
      return actor.via === 'token' ? `${actor.login} (token ${actor.tokenId ?? ''})` : actor.login;
    case 'anonymous':
      return 'anonymous';
    case 'system':
      return `system:${actor.label}`;
  }
}
