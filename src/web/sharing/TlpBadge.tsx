import { Badge, type BadgeProps } from '@mantine/core';
import type { Tlp } from './api.js';

/** FIRST TLP 2.0 colours: coloured text on black, CLEAR as black on white with a black border. */
const colours: Record<Tlp, { color: string; background: string; border: string }> = {
  clear: { color: '#000000', background: '#FFFFFF', border: '#000000' },
  green: { color: '#33FF00', background: '#000000', border: '#000000' },
  amber: { color: '#FFC000', background: '#000000', border: '#000000' },
  'amber+strict': { color: '#FFC000', background: '#000000', border: '#000000' },
  red: { color: '#FF2B2B', background: '#000000', border: '#000000' },
};

/** `TLP:AMBER+STRICT`: the label is the same in every language. */
export const tlpText = (tlp: Tlp): string => `TLP:${tlp.toUpperCase()}`;

/** The i18n key of a label's explanation (`amber+strict` → `amberStrict`). */
export const tlpKey = (tlp: Tlp) => (tlp === 'amber+strict' ? 'amberStrict' : tlp);

/** A TLP label as FIRST prints it, e.g. in lists, headers and pickers. */
export function TlpBadge({ tlp, size = 'md', ...rest }: { tlp: Tlp } & Omit<BadgeProps, 'color' | 'children'>) {
  const c = colours[tlp];
  return (
    <Badge
      size={size}
      radius="xs"
      variant="filled"
      data-testid="tlp-badge"
      data-tlp={tlp}
      {...rest}
      styles={{
        root: {
          color: c.color,
          background: c.background,
          border: `1px solid ${c.border}`,
          fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
          letterSpacing: 0.5,
          textTransform: 'none',
        },
      }}
    >
      {tlpText(tlp)}
    </Badge>
  );
}
