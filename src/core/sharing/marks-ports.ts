/** What the confidentiality marks need from storage (implemented in src/store/marks-repos.ts). */

/** What a mark may be attached to. */
export type MarkedItemType = 'advisory' | 'report';

/**
 * One confidentiality mark (受領組織の識別記号): issued each time a document of non-public information
 * leaves the platform, for one recipient organisation and user. The id is random and is what the
 * invisible token in the document carries.
 */
export interface MarkRecord {
  /** 24 lower-case hex digits (96 random bits). */
  id: string;
  orgId: string;
  userId: string;
  itemType: MarkedItemType;
  itemId: string;
  /** The version of the item exported (countermeasure information), if it has versions. */
  version: number | null;
  /** The TLP label at the time of export. */
  tlp: string;
  /** md, txt, json … */
  format: string;
  createdAt: string;
}

export interface MarkRepos {
  insert(m: MarkRecord): Promise<void>;
  byId(id: string): Promise<MarkRecord | undefined>;
  /** The marks issued for one item, newest first. */
  forItem(itemId: string): Promise<MarkRecord[]>;
}
