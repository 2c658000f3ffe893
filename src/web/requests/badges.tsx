import { Badge, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CampaignStatus, ConsultationStatus, ReceivedRequest, RequestAnswer } from './api.js';

export function CampaignStatusBadge({ status }: { status: CampaignStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={status === 'active' ? 'red' : 'gray'} variant={status === 'active' ? 'filled' : 'light'} data-testid="campaign-status" data-status={status}>
      {t(`campaign.status.${status}`)}
    </Badge>
  );
}

export function RequestStatusBadge({ status }: { status: 'open' | 'closed' }) {
  const { t } = useTranslation();
  return (
    <Badge color={status === 'open' ? 'blue' : 'gray'} variant="light" data-testid="request-status">
      {t(`infoRequest.requestStatus.${status}`)}
    </Badge>
  );
}

/** 回答 / 辞退, with the late marker. */
export function AnswerKindBadge({ answer }: { answer: Pick<RequestAnswer, 'kind' | 'late'> }) {
  const { t } = useTranslation();
  return (
    <Group gap={4} wrap="nowrap">
      <Badge color={answer.kind === 'answer' ? 'teal' : 'gray'} variant="filled" data-testid="answer-kind" data-kind={answer.kind}>
        {t(`infoRequest.kindShort.${answer.kind}`)}
      </Badge>
      {answer.late && (
        <Badge color="orange" variant="outline" data-testid="answer-late">
          {t('infoRequest.late')}
        </Badge>
      )}
    </Group>
  );
}

/** Where the organisation stands with a request: answered, refused, outstanding (overdue), or missed. */
export function MyRequestBadge({ request }: { request: ReceivedRequest }) {
  const { t } = useTranslation();
  if (request.myAnswer) return <AnswerKindBadge answer={request.myAnswer} />;
  if (request.status === 'closed') {
    return (
      <Badge color="red" variant="outline" data-testid="request-missed">
        {t('infoRequest.missed')}
      </Badge>
    );
  }
  return (
    <Badge color={request.overdue ? 'red' : 'orange'} variant="light" data-testid="request-outstanding">
      {request.overdue ? t('infoRequest.overdueUnanswered') : t('infoRequest.notAnswered')}
    </Badge>
  );
}

export function ConsultationStatusBadge({ status }: { status: ConsultationStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={status === 'open' ? 'blue' : 'gray'} variant="light" data-testid="consultation-status" data-status={status}>
      {t(`consultation.status.${status}`)}
    </Badge>
  );
}
