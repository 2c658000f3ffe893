import type { MessageParam } from './errors.js';
import { membershipMessages } from './membership/messages.js';
import { sharingMessages } from './sharing/messages.js';
import { requestsMessages } from './sharing/requests-messages.js';
import { notificationMessages } from './notifications/messages.js';
import { insightMessages } from './insight/messages.js';
import { mispMessages } from './interop/misp-messages.js';
import { stixMessages } from './interop/stix-messages.js';
import { searchMessages } from './search/messages.js';

/**
 * Server-side message catalogue (errors, CLI-visible texts) in Japanese and English.
 * The web UI has its own catalogue in src/web/i18n; a test checks both languages have every key.
 */
export const locales = ['ja', 'en'] as const;
export type Locale = (typeof locales)[number];

/** Messages of the foundation (sign-in, accounts, organisations, generic errors). */
const foundation = {
  ja: {
    invalid_input: '入力内容に誤りがあります。',
    not_found: '見つかりません。',
    route_not_found: 'このURLは存在しません。',
    forbidden: 'この操作を行う権限がありません。',
    read_only_token: '読み取り専用トークンでは変更できません。',
    unauthenticated: 'ログインしてください。',
    invalid_credentials: 'ログインIDまたはパスワードが正しくありません。',
    totp_required: '確認コード（二要素認証）を入力してください。',
    invalid_totp: '確認コードが正しくありません。',
    totp_not_pending: '先に二要素認証の設定を開始してください。',
    totp_already_enabled: '二要素認証はすでに有効です。',
    too_many_attempts: '試行回数が多すぎます。{seconds}秒後に再度お試しください。',
    rate_limited: 'リクエストが多すぎます。しばらくしてから再度お試しください。',
    csrf_invalid: 'セッションの確認に失敗しました。ページを再読み込みしてください。',
    login_taken: 'このログインIDはすでに使われています。',
    organization_deactivated: 'この組織は無効化されています。',
    cannot_deactivate_self: '自分自身のアカウントは無効化できません。',
    sector_required: '重要インフラ事業者には分野の指定が必要です。',
    sector_not_applicable: '分野は重要インフラ事業者にのみ指定できます。',
    designated_requires_type1: '政令指定法人は第一類構成員でなければなりません。',
    secretariat_immutable: '事務局の組織は変更できません。',
    wrong_password: '現在のパスワードが正しくありません。',
    unsupported_media_type: 'Content-Type が正しくありません。',
    payload_too_large: '送信データが大きすぎます。',
    internal_error: 'サーバー内部でエラーが発生しました。',
    conflict: '同時に行われた別の操作と競合しました。もう一度お試しください。',
  },
  en: {
    invalid_input: 'The input is not valid.',
    not_found: 'Not found.',
    route_not_found: 'There is no such URL.',
    forbidden: 'You are not allowed to do this.',
    read_only_token: 'A read-only token cannot make changes.',
    unauthenticated: 'Please sign in.',
    invalid_credentials: 'The login ID or password is incorrect.',
    totp_required: 'Enter the verification code (two-factor authentication).',
    invalid_totp: 'The verification code is incorrect.',
    totp_not_pending: 'Start the two-factor setup first.',
    totp_already_enabled: 'Two-factor authentication is already enabled.',
    too_many_attempts: 'Too many attempts. Try again in {seconds} seconds.',
    rate_limited: 'Too many requests. Please try again later.',
    csrf_invalid: 'The session check failed. Please reload the page.',
    login_taken: 'This login ID is already in use.',
    organization_deactivated: 'This organisation has been deactivated.',
    cannot_deactivate_self: 'You cannot deactivate your own account.',
    sector_required: 'A critical-infrastructure operator needs a sector.',
    sector_not_applicable: 'Only critical-infrastructure operators have a sector.',
    designated_requires_type1: 'The designated corporation must be a Type 1 member.',
    secretariat_immutable: 'The secretariat organisation cannot be changed.',
    wrong_password: 'The current password is incorrect.',
    unsupported_media_type: 'The Content-Type is not supported.',
    payload_too_large: 'The request is too large.',
    internal_error: 'An internal server error occurred.',
    conflict: 'This conflicted with another change made at the same time. Please try again.',
  },
} as const satisfies Catalogue;

export type Catalogue = Record<Locale, Record<string, string>>;

/**
 * Every feature keeps its messages in a catalogue of its own (e.g. src/core/membership/messages.ts)
 * and lists it here; a test checks that each has the same keys in both languages.
 */
export const catalogues: Catalogue[] = [foundation, sharingMessages, membershipMessages, requestsMessages, mispMessages, insightMessages, searchMessages, notificationMessages, stixMessages];

/** All messages of all features, by locale. */
export const messages: Catalogue = {
  ja: Object.assign({}, ...catalogues.map((c) => c.ja)) as Record<string, string>,
  en: Object.assign({}, ...catalogues.map((c) => c.en)) as Record<string, string>,
};

/** Render a message key in a locale, filling `{name}` placeholders. Unknown keys fall back to the key. */
export function translate(locale: Locale, key: string, params: Record<string, MessageParam> = {}): string {
  const table = messages[locale];
  const template = table[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = params[name];
    if (v === undefined) return `{${name}}`;
    return typeof v === 'object' ? v[locale] : String(v);
  });
}

/** Pick ja or en from an Accept-Language header; Japanese first. */
export function localeFromAcceptLanguage(header: string | undefined): Locale {
  if (!header) return 'ja';
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag = '', ...rest] = part.trim().split(';');
      const q = rest.find((p) => p.trim().startsWith('q='));
      return { tag: tag.toLowerCase(), q: q ? Number(q.trim().slice(2)) || 0 : 1 };
    })
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    if (tag.startsWith('ja')) return 'ja';
    if (tag.startsWith('en')) return 'en';
  }
  return 'ja';
}
