/**
 * What the notification screens offer, mirroring src/core/policy.ts. The server enforces the same rules anyway:
 * this only hides what would be refused.
 */
import type { Session } from '../api.js';

export const notify = {
  /** `webhook.read` / `webhook.manage`: an administrator of their own organisation. */
  manageWebhooks: (s: Session) => s.user.role === 'admin',
};
