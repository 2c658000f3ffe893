import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Certainty, FeedbackAnswer, ReportStatus, Stage } from './api.js';
import { answerColor, certaintyColor, stageColor, statusColor } from './labels.js';

export function StageBadge({ stage }: { stage: Stage }) {
  const { t } = useTranslation();
  return (
    <Badge color={stageColor[stage]} variant="light" data-testid="stage-badge" data-stage={stage}>
      {t(`stage.${stage}`)}
    </Badge>
  );
}

export function CertaintyBadge({ certainty }: { certainty: Certainty }) {
  const { t } = useTranslation();
  return (
    <Badge color={certaintyColor[certainty]} variant="outline">
      {t(`certainty.${certainty}`)}
    </Badge>
  );
}

export function StatusBadge({ status }: { status: ReportStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={statusColor[status]} variant="light" data-testid="report-status">
      {t(`reportStatus.${status}`)}
    </Badge>
  );
}

export function AnswerBadge({ answer }: { answer: FeedbackAnswer }) {
  const { t } = useTranslation();
  return (
    <Badge color={answerColor[answer]} variant="filled">
      {t(`feedback.${answer}`)}
    </Badge>
  );
}
