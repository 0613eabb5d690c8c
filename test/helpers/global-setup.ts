import { buildClient, clientBuildIsStale } from '../../server/http/client.ts';

/** End-to-end tests and spawned servers serve the built client; build it once, before any test. */
export default async function setup(): Promise<void> {
  if (clientBuildIsStale()) await buildClient();
}
