/** The council's and secretariat's names are settings (the secretariat's changed in 2025): read them publicly. */
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { membershipApi } from './api.js';

export const councilSettingsKey = ['membership', 'council-settings'] as const;

export function useCouncilSettings() {
  return useQuery({ queryKey: councilSettingsKey, queryFn: membershipApi.councilSettings, staleTime: 10 * 60_000, retry: false });
}

/** The configured council name in the UI language; the built-in one until it is known. */
export function useCouncilName(): string {
  const { t, i18n } = useTranslation();
  const settings = useCouncilSettings();
  const names = settings.data?.councilName;
  return (i18n.language === 'en' ? names?.en : names?.ja) || t('app.council');
}
