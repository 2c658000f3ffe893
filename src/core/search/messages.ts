/** Messages of search and observable look-up, in Japanese and English. */
import type { Catalogue } from '../messages.js';

export const searchMessages = {
  ja: {
    search_query_too_short: '検索語は2文字以上で入力してください。',
    search_dates_reversed: '期間の開始日は終了日より前にしてください。',
    lookup_too_many: '一度に照会できるのは{max}行までです。',
  },
  en: {
    search_query_too_short: 'Enter a search term of at least two characters.',
    search_dates_reversed: 'The start date must not be after the end date.',
    lookup_too_many: 'At most {max} lines can be looked up at once.',
  },
} as const satisfies Catalogue;
