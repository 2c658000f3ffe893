/** Small pieces shared by the membership screens: status badges, labelled facts, Japan-time inputs. */
import { Badge, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { MembershipStatus } from '../../core/model.js';
import { toJstLocal } from '../requests/time.js';
import { jstLocalToIso } from '../sharing/time.js';
import type { ApplicableClass, ApplicationStatus, RequestStatus } from './api.js';

export const applicationStatuses: readonly ApplicationStatus[] = ['submitted', 'returned', 'checked', 'approved', 'rejected', 'withdrawn'];
export const applicableClasses: readonly ApplicableClass[] = ['general', 'type2', 'type1'];
export const requestStatuses: readonly RequestStatus[] = ['submitted', 'accepted', 'rejected', 'cancelled'];

const applicationColor: Record<ApplicationStatus, string> = {
  submitted: 'blue',
  returned: 'orange',
  checked: 'cyan',
  approved: 'teal',
  rejected: 'red',
  withdrawn: 'gray',
};
const requestColor: Record<RequestStatus, string> = { submitted: 'blue', accepted: 'teal', rejected: 'red', cancelled: 'gray' };
const standingColor: Record<MembershipStatus, string> = { member: 'teal', suspended: 'orange', withdrawn: 'gray', expelled: 'red' };

export function ApplicationStatusBadge({ status, testId }: { status: ApplicationStatus; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Badge color={applicationColor[status]} variant="light" data-testid={testId} data-status={status}>
      {t(`membership.applicationStatus.${status}`)}
    </Badge>
  );
}

export function RequestStatusBadge({ status }: { status: RequestStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={requestColor[status]} variant="light" data-status={status}>
      {t(`membership.requestStatus.${status}`)}
    </Badge>
  );
}

export function StandingBadge({ status, testId }: { status: MembershipStatus; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Badge color={standingColor[status]} variant="light" data-testid={testId} data-status={status}>
      {t(`membership.standingStatus.${status}`)}
    </Badge>
  );
}

export function Fact({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" fw={500} data-testid={testId} style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
        {children}
      </Text>
    </Stack>
  );
}

/** An instant (ISO) as the value of a `datetime-local` input in Japan time; empty for none. */
export const isoToJstInput = (iso: string | null | undefined): string => (iso ? toJstLocal(new Date(iso).getTime()) : '');
/** The value of a `datetime-local` input, taken as Japan time, as an instant with offset. */
export const jstInputToIso = (local: string): string => jstLocalToIso(local);

/** `ja` → 第3期, `en` → Period 3. */
export function usePeriodLabel(): (n: number) => string {
  const { t } = useTranslation();
  return (n) => t('membership.periodLabel', { number: n });
}
