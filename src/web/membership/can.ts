/**
 * What the membership screens offer, mirroring the membership rows of src/core/policy.ts.
 * The server enforces the same rules anyway: these only hide what would be refused.
 */
import type { Session } from '../api.js';

const secretariat = (s: Session) => s.organization.isSecretariat;
const secretariatAdmin = (s: Session) => secretariat(s) && s.user.role === 'admin';

export const member = {
  /** 募集期間・名簿公開・規約管理・協議会設定・運営委員の指定 */
  manage: secretariatAdmin,
  /** 加入申込の一覧と詳細, 統計: the secretariat and the steering committee. */
  readApplications: (s: Session) => secretariat(s) || s.user.isCommittee,
  /** 確認済み・差戻し, 変更届の受理: the secretariat (not viewers). */
  review: (s: Session) => secretariat(s) && s.user.role !== 'viewer',
  /** 承認・不承認, 区分変更の決定, 資格停止・除名, 特別承認: the steering committee. */
  decide: (s: Session) => s.user.isCommittee,
  /** 変更届・区分変更の一覧 */
  readRequests: (s: Session) => (secretariat(s) && s.user.role !== 'viewer') || s.user.isCommittee,
  stats: (s: Session) => secretariat(s) || s.user.isCommittee,
  /** 自組織の構成員資格: an organisation administrator of a member organisation. */
  ownMembership: (s: Session) => s.user.role === 'admin' && !secretariat(s),
};
