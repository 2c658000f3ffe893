/** Type-checked translation keys: `t('nav.home')` compiles, `t('nav.hom')` does not. */
import type { ja } from './ja.js';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof ja };
  }
}
