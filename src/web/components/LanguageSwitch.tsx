import { SegmentedControl } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../api.js';
import { applyLanguage, currentLang, isLang, type Lang } from '../i18n/index.js';
import { useSession, useSetSession } from '../session.js';

/** 日本語 / English. Signed in, the choice is saved to the account (PATCH /me); otherwise in a cookie. */
export function LanguageSwitch({ size = 'xs', testId = 'lang-switch' }: { size?: 'xs' | 'sm'; testId?: string }) {
  const { t } = useTranslation();
  const session = useSession();
  const setSession = useSetSession();

  const change = async (value: string) => {
    if (!isLang(value)) return;
    const lang: Lang = value;
    await applyLanguage(lang);
    if (!session) return;
    try {
      const user = await api.updateMe({ locale: lang });
      await setSession({ ...session, user });
    } catch (e) {
      notifications.show({ color: 'red', title: t('language.saveFailed'), message: e instanceof ApiError ? e.message : '' });
    }
  };

  return (
    <SegmentedControl
      size={size}
      aria-label={t('language.label')}
      data-testid={testId}
      value={currentLang()}
      onChange={(v) => void change(v)}
      data={[
        { value: 'ja', label: '日本語' },
        { value: 'en', label: 'English' },
      ]}
    />
  );
}
