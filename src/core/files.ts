/** Where attachment bytes live: outside the web root, addressed by id only (never by a user's file name). */
export interface FileStore {
  put(id: string, bytes: Buffer): Promise<void>;
  get(id: string): Promise<Buffer | undefined>;
}
