/** Messages of the MISP feed and of imports (MISP events, STIX bundles), in Japanese and English. */
import type { Catalogue } from '../messages.js';

export const mispMessages = {
  ja: {
    misp_no_event: 'MISP イベントが含まれていません（"Event" を持つ JSON を送ってください）。',
    misp_one_event: '1 回に取り込めるのは 1 件の MISP イベントです（{count} 件含まれていました）。',
    misp_invalid_event: 'MISP イベントとして読めません（{field} がないか、形式が正しくありません）。',
    misp_tlp_red: 'TLP:RED の MISP イベントは取り込めません。TLP:RED は受領者個人に限られ、協議会で共有できないためです。',
    misp_attribute_invalid: '属性の形式が正しくありません（type と value が必要です）。',
    misp_attribute_unsupported: '属性の種類「{type}」は観測情報として取り込めません。',
    misp_attribute_value_invalid: '値「{value}」は {type} として正しくありません。',
    misp_attribute_limit: '観測情報は 1 件の情報提供につき {max} 件までです。',
    misp_import_origin: 'MISP イベント {uuid}（{date}、作成組織: {org}）から取り込みました。',
    misp_import_references: '参考リンク',
    misp_unknown: '不明',
    import_nothing_imported: '取り込める内容がありませんでした。',
    import_unknown_format: 'STIX 2.1 バンドルでも MISP イベントでもありません。',
  },
  en: {
    misp_no_event: 'No MISP event found (send JSON with an "Event").',
    misp_one_event: 'One import takes one MISP event ({count} were found).',
    misp_invalid_event: 'Not a valid MISP event ({field} is missing or not valid).',
    misp_tlp_red: 'A TLP:RED MISP event cannot be imported: TLP:RED is for its named recipients only and cannot be shared in the council.',
    misp_attribute_invalid: 'The attribute is not valid (it needs a type and a value).',
    misp_attribute_unsupported: 'Attributes of type "{type}" cannot be imported as observables.',
    misp_attribute_value_invalid: 'The value "{value}" is not a valid {type}.',
    misp_attribute_limit: 'A report holds at most {max} observables.',
    misp_import_origin: 'Imported from MISP event {uuid} ({date}, created by {org}).',
    misp_import_references: 'References',
    misp_unknown: 'unknown',
    import_nothing_imported: 'There was nothing that could be imported.',
    import_unknown_format: 'Neither a STIX 2.1 bundle nor a MISP event.',
  },
} as const satisfies Catalogue;
