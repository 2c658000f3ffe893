import { Button, Group } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/** Keyset paging: a stack of cursors so that "previous" works although the API only gives `next`. */
export function useCursorStack() {
  const [stack, setStack] = useState<(string | undefined)[]>([undefined]);
  return {
    cursor: stack[stack.length - 1],
    hasPrevious: stack.length > 1,
    next: (cursor: string) => setStack((s) => [...s, cursor]),
    previous: () => setStack((s) => (s.length > 1 ? s.slice(0, -1) : s)),
    reset: () => setStack([undefined]),
  };
}

export function CursorPager({
  pager,
  next,
  testId = 'pager',
}: {
  pager: ReturnType<typeof useCursorStack>;
  next: string | null | undefined;
  testId?: string;
}) {
  const { t } = useTranslation();
  if (!pager.hasPrevious && !next) return null;
  return (
    <Group justify="flex-end" gap="xs" data-testid={testId}>
      <Button variant="default" size="xs" disabled={!pager.hasPrevious} onClick={pager.previous}>
        {t('common.previous')}
      </Button>
      <Button variant="default" size="xs" disabled={!next} onClick={() => next && pager.next(next)} data-testid={`${testId}-next`}>
        {t('common.next')}
      </Button>
    </Group>
  );
}
