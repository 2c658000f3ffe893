import { Button, Checkbox, Group, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldErrors, type Category, type MemberClass, type Organization, type OrganizationInput, type Sector } from '../api.js';
import { categories, categoryOptions, memberClasses, memberClassOptions, sectorOptions, sectors } from '../labels.js';
import { ErrorAlert } from './ErrorAlert.js';

const blank: OrganizationInput = {
  nameJa: '',
  nameEn: '',
  category: 'national_agency',
  sector: null,
  foreignCapital: false,
  memberClass: 'none',
  designated: false,
};

/** Only the editable fields: the rest of an Organization must not be sent back. */
const editable = (o: Organization): OrganizationInput => ({
  nameJa: o.nameJa,
  nameEn: o.nameEn,
  category: o.category,
  sector: o.sector,
  foreignCapital: o.foreignCapital,
  memberClass: o.memberClass,
  designated: o.designated,
});

const pick = <T extends string>(list: readonly T[], v: string | null): T | undefined => list.find((x) => x === v);

/**
 * Create or edit an organisation. The rules the server enforces are mirrored here so that most
 * mistakes are caught before sending: a sector only (and always) for critical-infrastructure
 * operators, and the designated corporation only as a Type 1 member. Server messages are shown too.
 */
export function OrgForm(props: {
  initial?: Organization;
  submitLabel: string;
  submitting: boolean;
  error: unknown;
  disabled?: boolean;
  onSubmit: (values: OrganizationInput) => void;
}) {
  const { t } = useTranslation();
  const [v, setV] = useState<OrganizationInput>(() => (props.initial ? editable(props.initial) : blank));
  const [touched, setTouched] = useState(false);
  const set = (patch: Partial<OrganizationInput>) => setV((old) => ({ ...old, ...patch }));

  const isCi = v.category === 'critical_infrastructure';
  const local: Record<string, string | undefined> = {
    nameJa: v.nameJa.trim() ? undefined : t('org.nameRequired'),
    nameEn: v.nameEn.trim() ? undefined : t('org.nameRequired'),
    sector: isCi && !v.sector ? t('org.sectorRequired') : undefined,
  };
  const server = fieldErrors(props.error);
  const err = (field: keyof OrganizationInput) => (touched ? local[field] : undefined) ?? server[field];

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (Object.values(local).some(Boolean)) return;
    props.onSubmit({
      ...v,
      nameJa: v.nameJa.trim(),
      nameEn: v.nameEn.trim(),
      sector: isCi ? v.sector : null,
      designated: v.memberClass === 'type1' && v.designated,
    });
  };

  return (
    <form onSubmit={submit} noValidate data-testid="org-form">
      <fieldset disabled={props.disabled} style={{ border: 0, padding: 0, margin: 0 }}>
        <Stack maw={720}>
          <ErrorAlert error={props.error} testId="org-form-error" />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={t('org.nameJa')}
              value={v.nameJa}
              onChange={(e) => set({ nameJa: e.currentTarget.value })}
              error={err('nameJa')}
              maxLength={200}
              required
              data-testid="org-name-ja"
            />
            <TextInput
              label={t('org.nameEn')}
              value={v.nameEn}
              onChange={(e) => set({ nameEn: e.currentTarget.value })}
              error={err('nameEn')}
              maxLength={200}
              required
              data-testid="org-name-en"
            />
            <Select
              label={t('org.category')}
              data={categoryOptions(t)}
              value={v.category}
              onChange={(value) => {
                const category: Category = pick(categories, value) ?? v.category;
                set({ category, sector: category === 'critical_infrastructure' ? v.sector : null });
              }}
              allowDeselect={false}
              error={err('category')}
              required
              data-testid="org-category"
            />
            <Select
              label={t('org.sector')}
              placeholder={isCi ? t('org.sectorPlaceholder') : t('org.sectorOnlyCi')}
              data={sectorOptions(t)}
              value={isCi ? v.sector : null}
              onChange={(value) => set({ sector: pick<Sector>(sectors, value) ?? null })}
              disabled={!isCi}
              required={isCi}
              error={err('sector')}
              data-testid="org-sector"
            />
            <Select
              label={t('org.memberClass')}
              data={memberClassOptions(t)}
              value={v.memberClass}
              onChange={(value) => {
                const memberClass: MemberClass = pick(memberClasses, value) ?? v.memberClass;
                set({ memberClass, designated: memberClass === 'type1' && v.designated });
              }}
              allowDeselect={false}
              error={err('memberClass')}
              required
              data-testid="org-member-class"
            />
          </SimpleGrid>
          <Checkbox
            label={t('org.designated')}
            description={t('org.designatedHelp')}
            checked={v.memberClass === 'type1' && v.designated}
            disabled={v.memberClass !== 'type1'}
            onChange={(e) => set({ designated: e.currentTarget.checked })}
            error={err('designated')}
            data-testid="org-designated"
          />
          <Checkbox
            label={t('org.foreignCapital')}
            description={t('org.foreignCapitalHelp')}
            checked={v.foreignCapital}
            onChange={(e) => set({ foreignCapital: e.currentTarget.checked })}
            error={err('foreignCapital')}
            data-testid="org-foreign-capital"
          />
          {!props.disabled && (
            <Group>
              <Button type="submit" loading={props.submitting} data-testid="org-submit">
                {props.submitLabel}
              </Button>
            </Group>
          )}
        </Stack>
      </fieldset>
    </form>
  );
}
