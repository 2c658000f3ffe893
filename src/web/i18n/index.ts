/**
 * i18next set-up. Japanese is the first language; the choice is kept in the `kyg_lang` cookie (which
 * the server also reads for signed-out visitors) and, once signed in, in the user's account.
 */
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en.js';
import { ja } from './ja.js';

export type Lang = 'ja' | 'en';
export const languages: readonly Lang[] = ['ja', 'en'];
export const LANG_COOKIE = 'kyg_lang';

export const isLang = (v: unknown): v is Lang => v === 'ja' || v === 'en';

export function readLangCookie(): Lang | undefined {
  if (typeof document === 'undefined') return undefined;
  for (const part of document.cookie.split(';')) {
    const [name, value] = part.trim().split('=');
    if (name === LANG_COOKIE && isLang(value)) return value;
  }
  return undefined;
}

export function writeLangCookie(lang: Lang): void {
  document.cookie = `${LANG_COOKIE}=${lang}; path=/; max-age=31536000; SameSite=Lax`;
}

/** Cookie first, then the browser's preferred languages (as the server reads Accept-Language), else Japanese. */
export function initialLanguage(): Lang {
  const fromCookie = readLangCookie();
  if (fromCookie) return fromCookie;
  const preferred = typeof navigator === 'undefined' ? [] : navigator.languages;
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLang(base)) return base;
  }
  return 'ja';
}

export function currentLang(): Lang {
  return isLang(i18n.language) ? i18n.language : 'ja';
}

/** Switch the UI language and remember it in the cookie. Saving it to the account is the caller's job. */
export async function applyLanguage(lang: Lang): Promise<void> {
  writeLangCookie(lang);
  if (i18n.language !== lang) await i18n.changeLanguage(lang);
}

i18n.on('languageChanged', (lng) => {
  if (typeof document !== 'undefined') document.documentElement.lang = lng;
});

void i18n.use(initReactI18next).init({
  resources: { ja: { translation: ja }, en: { translation: en } },
  lng: initialLanguage(),
  fallbackLng: 'ja',
  supportedLngs: ['ja', 'en'],
  interpolation: { escapeValue: false },
  initAsync: false,
});

export default i18n;
