import { openEmbeddedStore } from './embedded.ts';
import { openMongoStore } from './mongo.ts';
import type { Store } from './types.ts';

export * from './types.ts';
export { openEmbeddedStore } from './embedded.ts';
export { openMongoStore } from './mongo.ts';

export interface StoreConfig {
  /** Where the embedded store keeps its files; unused with MongoDB. */
  dataDir: string;
  /** A MongoDB connection string; empty or absent means the embedded store. */
  mongodbUri?: string;
}

export function openStore(config: StoreConfig): Promise<Store> {
  const uri = config.mongodbUri?.trim();
  return uri ? openMongoStore(uri) : openEmbeddedStore(config.dataDir);
}
