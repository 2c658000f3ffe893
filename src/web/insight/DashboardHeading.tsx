import { Group, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/** A dashboard's title and lead, with its controls (the period) on the right. */
export function DashboardHeading({ title, lead, children }: { title: string; lead: string; children?: ReactNode }) {
  return (
    <Group justify="space-between" align="flex-end">
      <Stack gap={2} maw={760}>
        <Title order={2}>{title}</Title>
        <Text size="sm" c="dimmed">
          {lead}
        </Text>
      </Stack>
      {children}
    </Group>
  );
}

/**
 * Long titles shortened for a chart axis (the table and the CSV keep them whole), counting a full-width character as
 * two: about 15 Japanese or 30 Latin characters fit the axis.
 */
export function shortTitle(title: string, width = 30): string {
  const chars = Array.from(title);
  let used = 0;
  for (const [i, c] of chars.entries()) {
    used += (c.codePointAt(0) ?? 0) > 0xff ? 2 : 1;
    if (used > width) return `${chars.slice(0, i - 1).join('')}…`;
  }
  return title;
}
