/** Option lists for selects, labelled in the current language. */
import type { TFunction } from 'i18next';
import type { Category, MemberClass, Organization, Sector, UserRole } from './api.js';

export const categories: readonly Category[] = [
  'national_agency',
  'local_government',
  'critical_infrastructure',
  'cyber_business',
  'university',
  'business_association',
];

export const sectors: readonly Sector[] = [
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
];

export const memberClasses: readonly MemberClass[] = ['none', 'general', 'type2', 'type1'];
export const roles: readonly UserRole[] = ['admin', 'analyst', 'viewer'];

export const categoryOptions = (t: TFunction) => categories.map((value) => ({ value, label: t(`category.${value}`) }));
export const sectorOptions = (t: TFunction) => sectors.map((value) => ({ value, label: t(`sector.${value}`) }));
export const memberClassOptions = (t: TFunction) => memberClasses.map((value) => ({ value, label: t(`memberClass.${value}`) }));
export const roleOptions = (t: TFunction) => roles.map((value) => ({ value, label: t(`role.${value}`) }));

/** The organisation's name in the UI language (the other one if that is empty). */
export function orgName(org: Pick<Organization, 'nameJa' | 'nameEn'>, lang: string): string {
  return (lang === 'en' ? org.nameEn || org.nameJa : org.nameJa || org.nameEn) || '—';
}

export const memberClassColor: Record<MemberClass, string> = {
  none: 'gray',
  general: 'blue',
  type2: 'violet',
  type1: 'grape',
};
